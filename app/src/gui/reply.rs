//! What comes back from the background: results of the facade's commands and its events.

use hearth::{Event, Insights, Member, Page, Status, Today};

/// Why the journal did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OpenFailure {
    /// The passphrase does not open it.
    WrongPassphrase,
    /// There is no journal here yet.
    NotFound,
    /// Anything else, as one sentence.
    Other(String),
}

/// A step of pairing, as the screen shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PairStep {
    /// The invitation is open.
    Invitation {
        ticket: String,
        expires_at_ms: hearth::UnixMs,
    },
    /// The other device connected.
    Connected,
    /// Both screens show this now.
    Compare {
        emoji: Vec<(&'static str, &'static str)>,
        digits: String,
    },
    /// Done.
    Paired,
    /// Ended without pairing.
    Failed(PairFailure),
    /// The ticket was refused before anything was sent (malformed, expired, this device's own),
    /// as one sentence.
    JoinRefused(String),
}

/// How pairing ended without pairing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PairFailure {
    Expired,
    Mismatch,
    Declined,
    /// Anything else, as one sentence.
    Other(String),
}

/// Who this device's person and partner are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct People {
    pub(crate) me: Member,
    pub(crate) partner: Option<Member>,
}

impl People {
    /// The partner's name, or a warm stand-in before there is one.
    pub(crate) fn partner_name(&self) -> &str {
        self.partner
            .as_ref()
            .map_or("your partner", |p| p.name.as_str())
    }

    /// The name of a member by id: "You" for this person.
    pub(crate) fn name_of(&self, id: &hearth::MemberId) -> &str {
        if *id == self.me.id {
            "You"
        } else if let Some(p) = self.partner.as_ref().filter(|p| p.id == *id) {
            &p.name
        } else {
            "Someone"
        }
    }
}

/// Something typed, sent: on success the screen clears it; on failure it stays, so nothing is
/// lost.
pub(crate) enum Sent {
    /// A new entry (with the note to show).
    Entry(Result<String, String>),
    /// A comment on this entry.
    Comment(hearth::EntryId, Result<(), String>),
    /// The answer to the question of the day.
    Answer(Result<(), String>),
}

/// One result or event.
pub(crate) enum Reply {
    /// The first screen kept from the last time, while the journal opens (see
    /// [`hearth::FirstScreen`]).
    FirstScreen(Box<hearth::FirstScreen>),
    /// The journal is open (after create or unlock).
    Opened {
        hearth: hearth::Hearth,
        people: People,
        /// Whether it was just created (first run).
        created: bool,
    },
    /// Unlock failed; nothing changed.
    OpenFailed(OpenFailure),
    /// First-run setup failed; nothing was kept.
    CreateFailed(String),
    /// Who is who.
    People(People),
    /// Today's view (`None` while the partner's journal has not arrived).
    Today(Option<Box<Today>>),
    /// A page of the timeline; `generation` tells stale pages from current ones.
    Timeline {
        page: Page,
        append: bool,
        generation: u64,
    },
    /// Insights for a span of weeks.
    Insights(Insights),
    /// An entry's versions, oldest first (`None`: deleted, or gone).
    History {
        id: hearth::EntryId,
        versions: Option<Vec<hearth::Version>>,
    },
    /// The device's connections.
    Status(Box<Status>),
    /// A read of the journal failed (one sentence).
    ReadFailed(String),
    /// A pairing step.
    Pairing(PairStep),
    /// Something typed was sent, or not.
    Sent(Sent),
    /// A command finished: a short note to show (`Ok`) or one sentence of what went wrong.
    Done(Result<Option<String>, String>),
    /// Something happened in the journal or the network.
    Event(Event),
}
