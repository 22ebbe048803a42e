//! The command line's grammar: every command, its flags, and the help text with an example.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Hearth: a private shared journal for two.";

#[cfg(feature = "gui")]
const LONG_ABOUT: &str = "Hearth: a private shared journal for two.

With no command, Hearth opens its window. Every command below works without a display: for \
people who live in a terminal, for an always-on home device (`hearth serve`), and for scripts \
(`--json`).";

#[cfg(not(feature = "gui"))]
const LONG_ABOUT: &str = "Hearth: a private shared journal for two.

This is a headless build of Hearth, without the window. Every command below works without a \
display: for people who live in a terminal, for an always-on home device (`hearth serve`), and for \
scripts (`--json`).";

const AFTER_HELP: &str = "\
Examples:
  hearth init --name Ada                       start a journal on this device
  hearth invite                                pair with your partner's device, in person
  hearth write \"A quiet evening by the river.\"
  hearth write --kind checkin --mood 7 \"Tired, but glad.\"
  hearth list --limit 5
  hearth sync                                  exchange news with your partner's device

The passphrase is read from HEARTH_PASSPHRASE when set, else asked for. See docs/cli.md for the \
exit codes and the JSON shapes.";

/// `hearth [--data-dir DIR] [COMMAND]`.
#[derive(Debug, Parser)]
#[command(
    name = "hearth",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    max_term_width = 100
)]
pub(crate) struct Cli {
    /// Where this device keeps its journal [default: the app's data directory].
    #[arg(long, global = true, env = "HEARTH_DATA_DIR", value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,

    /// Read the passphrase from the first line of this file (readable by you alone) instead of
    /// HEARTH_PASSPHRASE or asking: for a service.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        conflicts_with = "passphrase_fd"
    )]
    pub(crate) passphrase_file: Option<PathBuf>,

    /// Read the passphrase from the first line of this open file descriptor (a pipe from a
    /// service manager or a password store) instead of HEARTH_PASSPHRASE or asking.
    #[arg(long, global = true, value_name = "N")]
    pub(crate) passphrase_fd: Option<u32>,

    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// What to do; none opens the window (in a build with it).
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create this device's encrypted store and a new journal (or, with --home, a home device
    /// that joins your journal and keeps it for both of you).
    #[command(after_help = "Examples:\n  hearth init --name Ada\n  hearth init --home")]
    Init(InitArgs),

    /// Show a pairing invitation (text and QR code), wait for the new device (your partner's,
    /// another of yours, or a home device) to join, compare the short string, and pair.
    #[command(
        after_help = "Without a terminal, the ticket is printed alone on the first line of \
                      standard output, `sas: DDDDD DDDDD DDDDD` on a line of its own on standard \
                      error, and pairing goes on only if the next line of standard input holds \
                      the same fifteen digits, as the other device printed them.\n\nExamples:\n  \
                      hearth invite\n  hearth invite --local\n  hearth invite --for me\n  hearth invite --for home"
    )]
    Invite(InviteArgs),

    /// Join your partner's invitation, compare the short string, and pair.
    #[command(after_help = "Example:\n  hearth join hearth1abcdefgh...")]
    Join(JoinArgs),

    /// Add an entry; prints its id.
    #[command(
        after_help = "Examples:\n  hearth write \"A quiet evening by the river.\"\n  \
                            hearth write --kind checkin --mood 7 \"Tired, but glad.\"\n  \
                            printf 'the tea\\nthe joke\\nthe walk\\n' | hearth write --kind gratitude -\n  \
                            hearth write --kind bid --bid look-at-this \"The heron is back.\""
    )]
    Write(WriteArgs),

    /// Change an entry's text (or a check-in's rating), or one of your comments.
    #[command(
        after_help = "Examples:\n  hearth edit 0kq3v8m2 \"A quiet, happy evening.\"\n  \
                            hearth edit 0kq3v8m2 --mood 8\n  \
                            hearth edit 0kq3v8m2 --line 2 \"the joke about the goat\"\n  \
                            hearth edit 0kq3w1c4 \"Me too, very much.\"   (a comment's id)"
    )]
    Edit(EditArgs),

    /// Comment on an entry; prints the comment's id.
    #[command(after_help = "Example:\n  hearth comment 0kq3v8m2 \"Me too.\"")]
    Comment(CommentArgs),

    /// React to an entry with an emoji (or take a reaction back).
    #[command(
        after_help = "Examples:\n  hearth react 0kq3v8m2 ❤️\n  hearth react 0kq3v8m2 ❤️ --undo"
    )]
    React(ReactArgs),

    /// Delete an entry or one of your comments: its text is cleared on both devices.
    #[command(
        after_help = "Examples:\n  hearth delete 0kq3v8m2\n  hearth delete 0kq3w1c4   (a comment's id)"
    )]
    Delete(IdArgs),

    /// Show your partner one of your answers now, though they have not answered that question
    /// (answers open by themselves once you both have).
    #[command(
        name = "open-answer",
        after_help = "Example:\n  hearth open-answer 0kq3v8m2"
    )]
    OpenAnswer(IdArgs),

    /// Answer your partner's bid for connection: turn toward it, or keep it for later.
    #[command(after_help = "Example:\n  hearth respond 0kq3v8m2 toward")]
    Respond(RespondArgs),

    /// The timeline, newest first.
    #[command(
        after_help = "Examples:\n  hearth list\n  hearth list --kind checkin --author partner\n  \
                            hearth list --json --limit 100"
    )]
    List(ListArgs),

    /// One entry in full, with its comments and reactions.
    #[command(after_help = "Example:\n  hearth show 0kq3v8m2")]
    Show(ShowArgs),

    /// Every version of an entry, numbered from 1 (as first written), with who and when.
    #[command(after_help = "Example:\n  hearth history 0kq3v8m2")]
    History(ShowArgs),

    /// Bring back an earlier version of one of your entries (a new change: it syncs).
    #[command(after_help = "Example:\n  hearth history 0kq3v8m2\n  hearth restore 0kq3v8m2 1")]
    Restore(RestoreArgs),

    /// Entries whose text or comments hold every word of the query.
    #[command(after_help = "Example:\n  hearth search river heron")]
    Search(SearchArgs),

    /// How both of you felt over the last weeks, side by side, and what you shared together.
    #[command(after_help = "Examples:\n  hearth insights\n  hearth insights --weeks 26 --json")]
    Insights(InsightsArgs),

    /// Today: the question of the day, the rituals due, and what waits for you.
    #[command(after_help = "Example:\n  hearth today")]
    Today(JsonArgs),

    /// Skip today's question of the day, for both of you: the next one takes its place. Not once
    /// either of you has answered it; the skip names neither of you.
    #[command(
        name = "skip-question",
        after_help = "Example:\n  hearth skip-question"
    )]
    SkipQuestion(JsonArgs),

    /// Dial your partner's device and exchange until neither has anything new.
    #[command(after_help = "Example:\n  hearth sync --timeout 20")]
    Sync(SyncArgs),

    /// Stay up: accept your partner's devices, sync live, print events one per line, until
    /// SIGINT or SIGTERM.
    #[command(after_help = "Example:\n  hearth serve --json >> hearth-events.log")]
    Serve(ServeArgs),

    /// This device, you, your partner's devices, presence, last sync and addresses.
    #[command(after_help = "Examples:\n  hearth status\n  hearth status --online --json")]
    Status(StatusArgs),

    /// Export the shared journal (never the private one).
    #[command(
        after_help = "Every export is unencrypted: keep it somewhere safe. It holds the journal as \
                      it reads now: private and deleted entries stay out of it, and of your \
                      partner's answers you have not opened it says only that they answered.\n\nExamples:\n  hearth export --format markdown --out \
                      journal.md\n  hearth export --format json --out -"
    )]
    Export(ExportArgs),

    /// Change the passphrase.
    #[command(after_help = "Example:\n  hearth passphrase")]
    Passphrase,

    /// Mailboxes: where your devices leave sealed changes for each other when they are not
    /// online together (a folder both your computers reach, or a mailbox server).
    #[command(
        subcommand,
        after_help = "Examples:\n  hearth mailbox add ~/Sync/hearth\n  hearth mailbox add hearthbox1...\n  \
                      hearth mailbox list --json\n  hearth mailbox remove hearth\n  \
                      hearth mailbox serve --storage /srv/hearth"
    )]
    Mailbox(MailboxCommand),

    /// The couple's time zone: the question of the day changes at its midnight on both devices.
    /// With a zone, sets it for both of you.
    #[command(
        name = "home-zone",
        after_help = "Examples:\n  hearth home-zone\n  hearth home-zone Europe/Lisbon"
    )]
    HomeZone(HomeZoneArgs),

    /// Start small, for both of you: one small prompt a day in place of the question of the
    /// day, and nothing counted in insights. Without on or off, says whether you do.
    #[command(
        name = "start-small",
        after_help = "Examples:\n  hearth start-small on\n  hearth start-small off"
    )]
    StartSmall(StartSmallArgs),

    /// The rituals you keep together: when each comes round, who set it, and any change waiting.
    /// A change one of you proposes takes effect when the other accepts it.
    #[command(
        after_help = "Examples:\n  hearth rituals\n  hearth rituals propose morning --days \
                      mon,tue,wed,thu,fri --at 07:30\n  hearth rituals propose date-night --days sat \
                      --at 18:00\n  hearth rituals propose weekly --off\n  hearth rituals accept"
    )]
    Rituals(RitualsArgs),

    /// Date night: the idea on offer, your plan, and a line from each of you afterwards.
    #[command(
        name = "date-night",
        after_help = "Examples:\n  hearth date-night\n  hearth date-night another\n  \
                      hearth date-night plan \"Picnic by the river, bring the blue blanket\"\n  \
                      hearth date-night remember \"The swans were rude, the sunset wasn't.\""
    )]
    DateNight(DateNightArgs),

    /// Forget a partner device: it can no longer sync with this one.
    #[command(after_help = "Example:\n  hearth unpair 7c1e")]
    Unpair(UnpairArgs),

    /// Open the two-device demo window.
    #[cfg_attr(feature = "gui", command(after_help = "Example:\n  hearth demo"))]
    // A headless build has no window: it does not list the demo, and says so when asked for it.
    #[cfg_attr(
        not(feature = "gui"),
        command(
            hide = true,
            about = "The two-device demo window, which this headless build does not have.",
            long_about = None
        )
    )]
    Demo,
}

/// `init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Your name, as your partner will see it.
    #[arg(long, required_unless_present = "home")]
    pub(crate) name: Option<String>,
    /// A home device: nobody's, it keeps the journal for both of you (an always-on computer
    /// running `hearth serve`) and writes nothing of its own. It joins an invitation made with
    /// `hearth invite --for home`.
    #[arg(long, conflicts_with = "name")]
    pub(crate) home: bool,
    /// This device's name in the journal's list of devices (default: the computer's name).
    #[arg(long, value_name = "NAME")]
    pub(crate) device_name: Option<String>,
}

/// The network options of the commands that go online.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct NetArgs {
    /// No public relays or DNS: LAN discovery and direct addresses only.
    #[arg(long, conflicts_with = "relay")]
    pub(crate) local: bool,
    /// Use this relay instead of the public ones.
    #[arg(long, value_name = "URL", value_parser = relay_url)]
    pub(crate) relay: Option<hearth::RelayUrl>,
    /// Bind the UDP socket to this address:port [default: every interface, on the port used
    /// last time].
    #[arg(long, value_name = "ADDR")]
    pub(crate) bind: Option<SocketAddr>,
    /// Do not announce this device or look for your partner's on the local network (mDNS).
    #[arg(long)]
    pub(crate) no_lan_discovery: bool,
}

fn relay_url(text: &str) -> Result<hearth::RelayUrl, String> {
    let wrong = || "a relay is given by its URL, starting with https:// (or http://)".to_owned();
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return Err(wrong());
    }
    text.parse().map_err(|_| wrong())
}

fn seconds(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("give at least 1 second".to_owned()),
        Ok(n) => Ok(n),
        Err(_) => Err("a number of seconds, such as 30".to_owned()),
    }
}

/// `invite`.
#[derive(Debug, Args)]
pub(crate) struct InviteArgs {
    /// Whose the new device is: your partner's (only while the journal has just you), another of
    /// yours, or a home device. Without it: your partner's while there is no partner yet, else
    /// yours.
    #[arg(long = "for", value_name = "WHOSE", value_enum)]
    pub(crate) device_for: Option<InviteFor>,
    /// How long to wait for the other device, in seconds (at most the invitation's ten
    /// minutes).
    #[arg(long, value_name = "SECS", default_value_t = 600, value_parser = seconds)]
    pub(crate) timeout: u64,
    #[command(flatten)]
    pub(crate) net: NetArgs,
}

/// Whose an invited device is.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum InviteFor {
    /// Your partner's device.
    Partner,
    /// Another device of yours.
    Me,
    /// A home device, made with `hearth init --home`.
    Home,
}

/// `join`.
#[derive(Debug, Args)]
pub(crate) struct JoinArgs {
    /// The invitation code your partner's device shows (`-` reads it from the first line of
    /// standard input).
    #[arg(value_name = "TICKET")]
    pub(crate) ticket: String,
    #[command(flatten)]
    pub(crate) net: NetArgs,
}

/// The kinds of entry, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindArg {
    /// Free writing.
    Journal,
    /// How you are, inside, from 1 to 10 (`--mood`), and why.
    Checkin,
    /// The evening debrief: what was hard today (`--hard`) and what helped (`--helped`).
    Debrief,
    /// Three ways your partner lit up your day, one per line.
    Gratitude,
    /// A short note of thanks for something specific.
    Appreciation,
    /// A small bid for connection (`--bid`).
    Bid,
    /// Your answer to today's question.
    Answer,
    /// A letter for later: sealed until the moment you give with `--open-at`.
    Letter,
}

impl KindArg {
    pub(crate) fn kind(self) -> hearth::EntryKind {
        match self {
            KindArg::Journal => hearth::EntryKind::Journal,
            KindArg::Checkin => hearth::EntryKind::CheckIn,
            KindArg::Debrief => hearth::EntryKind::Debrief,
            KindArg::Gratitude => hearth::EntryKind::Gratitude,
            KindArg::Appreciation => hearth::EntryKind::Appreciation,
            KindArg::Bid => hearth::EntryKind::Bid,
            KindArg::Answer => hearth::EntryKind::Answer,
            KindArg::Letter => hearth::EntryKind::Letter,
        }
    }
}

/// The kinds of bid, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BidArg {
    /// "Thinking of you."
    ThinkingOfYou,
    /// "Look at this."
    LookAtThis,
    /// "Can I have your opinion?"
    Opinion,
    /// "Can we talk later?"
    TalkLater,
}

impl BidArg {
    pub(crate) fn bid(self) -> hearth::BidKind {
        match self {
            BidArg::ThinkingOfYou => hearth::BidKind::ThinkingOfYou,
            BidArg::LookAtThis => hearth::BidKind::LookAtThis,
            BidArg::Opinion => hearth::BidKind::Opinion,
            BidArg::TalkLater => hearth::BidKind::TalkLater,
        }
    }
}

/// `write`.
#[derive(Debug, Args)]
pub(crate) struct WriteArgs {
    /// What kind of entry.
    #[arg(long, short, value_enum, default_value_t = KindArg::Journal)]
    pub(crate) kind: KindArg,
    /// A check-in's rating, from 1 (very low) to 10 (wonderful).
    #[arg(long, value_name = "1-10", value_parser = clap::value_parser!(u8).range(1..=10))]
    pub(crate) mood: Option<u8>,
    /// What kind of bid [default: thinking-of-you].
    #[arg(long, value_enum)]
    pub(crate) bid: Option<BidArg>,
    /// An evening debrief's first part: what was hard today.
    #[arg(long, value_name = "TEXT")]
    pub(crate) hard: Option<String>,
    /// An evening debrief's second part: what helped.
    #[arg(long, value_name = "TEXT")]
    pub(crate) helped: Option<String>,
    /// When a letter opens, in this device's time zone: "YYYY-MM-DD HH:MM".
    #[arg(long, value_name = "YYYY-MM-DD HH:MM", value_parser = local_moment)]
    pub(crate) open_at: Option<(hearth::LocalDate, hearth::ClockTime)>,
    /// Keep it on this device only: never synced, never exported.
    #[arg(long)]
    pub(crate) private: bool,
    /// The text (`-` reads it from standard input). A gratitude entry takes one line per way,
    /// up to three; an evening debrief takes `--hard` and `--helped` instead.
    #[arg(value_name = "TEXT")]
    pub(crate) text: Option<String>,
}

/// `edit`.
#[derive(Debug, Args)]
pub(crate) struct EditArgs {
    /// The entry's (or your comment's) id, or enough of its beginning to name one.
    pub(crate) id: String,
    /// The new text (`-` reads it from standard input).
    #[arg(value_name = "TEXT")]
    pub(crate) text: Option<String>,
    /// A check-in's new rating.
    #[arg(long, value_name = "1-10", value_parser = clap::value_parser!(u8).range(1..=10))]
    pub(crate) mood: Option<u8>,
    /// Replace only this line of a gratitude entry (from 1), or this part of an evening debrief
    /// (1: what was hard, 2: what helped).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) line: Option<u32>,
}

/// `comment`.
#[derive(Debug, Args)]
pub(crate) struct CommentArgs {
    /// The entry's id, or enough of its beginning to name one entry.
    pub(crate) id: String,
    /// The comment (`-` reads it from standard input).
    pub(crate) text: String,
}

/// `react`.
#[derive(Debug, Args)]
pub(crate) struct ReactArgs {
    /// The entry's id, or enough of its beginning to name one entry.
    pub(crate) id: String,
    /// The emoji.
    pub(crate) emoji: String,
    /// Take the reaction back.
    #[arg(long)]
    pub(crate) undo: bool,
}

/// A command that takes only an entry id.
#[derive(Debug, Args)]
pub(crate) struct IdArgs {
    /// The entry's id, or enough of its beginning to name one entry.
    pub(crate) id: String,
}

/// How to answer a bid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TurnArg {
    /// Turn toward it.
    Toward,
    /// Keep it for later.
    Later,
}

/// `respond`.
#[derive(Debug, Args)]
pub(crate) struct RespondArgs {
    /// The bid's id, or enough of its beginning to name one entry.
    pub(crate) id: String,
    /// Turn toward it, or keep it for later.
    #[arg(value_enum)]
    pub(crate) turn: TurnArg,
}

/// Whose entries to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AuthorArg {
    /// Yours.
    Me,
    /// Your partner's.
    Partner,
}

/// `list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only this kind.
    #[arg(long, short, value_enum)]
    pub(crate) kind: Option<KindArg>,
    /// Only yours, or only your partner's.
    #[arg(long, short, value_enum)]
    pub(crate) author: Option<AuthorArg>,
    /// At most this many (0: all).
    #[arg(long, short = 'n', value_name = "N", default_value_t = 20)]
    pub(crate) limit: usize,
    /// Only bids kept for later that are not yet turned toward.
    #[arg(long)]
    pub(crate) later: bool,
    /// JSON instead of text (see docs/cli.md for the shape).
    #[arg(long)]
    pub(crate) json: bool,
}

/// `show`.
#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The entry's id, or enough of its beginning to name one entry.
    pub(crate) id: String,
    /// JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `home-zone`.
#[derive(Debug, Args)]
pub(crate) struct HomeZoneArgs {
    /// A time zone database name (`Europe/Lisbon`, `America/New_York`); without it, shows the
    /// current one.
    pub(crate) zone: Option<String>,
}

/// `start-small`.
#[derive(Debug, Args)]
pub(crate) struct StartSmallArgs {
    /// `on` or `off`; without it, says whether you start small.
    pub(crate) on: Option<OnOff>,
}

/// `rituals`.
#[derive(Debug, Args)]
pub(crate) struct RitualsArgs {
    /// What to do; without it, lists the rituals.
    #[command(subcommand)]
    pub(crate) action: Option<RitualsAction>,
    /// JSON instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

/// What `rituals` does.
#[derive(Debug, Subcommand)]
pub(crate) enum RitualsAction {
    /// Propose a change to a ritual: its days, its time, or switching it off or on. Your partner
    /// accepts or declines it (before you pair, it takes effect at once). What you leave out
    /// stays as it is.
    Propose(ProposeArgs),
    /// Accept your partner's proposed change (name the ritual when several wait).
    Accept(RitualArg),
    /// Decline your partner's proposed change, or withdraw your own.
    Decline(RitualArg),
}

/// `rituals propose`.
#[derive(Debug, Args)]
pub(crate) struct ProposeArgs {
    /// Which ritual.
    pub(crate) ritual: RitualName,
    /// The days it comes round: mon,tue,... (or daily, weekdays, weekends).
    #[arg(long, value_name = "DAYS", value_parser = weekdays)]
    pub(crate) days: Option<hearth::Weekdays>,
    /// Its time of day, HH:MM, on each device's own clock.
    #[arg(long, value_name = "HH:MM", value_parser = clock_time)]
    pub(crate) at: Option<hearth::ClockTime>,
    /// Switch it off.
    #[arg(long, conflicts_with = "on")]
    pub(crate) off: bool,
    /// Switch it back on.
    #[arg(long)]
    pub(crate) on: bool,
}

fn local_moment(text: &str) -> Result<(hearth::LocalDate, hearth::ClockTime), String> {
    crate::clock::parse_moment(text)
        .ok_or_else(|| format!("{text:?} is not a moment: give it as \"YYYY-MM-DD HH:MM\""))
}

fn quiet_hours(text: &str) -> Result<(hearth::ClockTime, hearth::ClockTime), String> {
    let wrong =
        || format!("{text:?} is not a span of time: give it as HH:MM-HH:MM, like 22:30-07:00");
    let (from, until) = text.split_once('-').ok_or_else(wrong)?;
    Ok((
        from.trim().parse().map_err(|_| wrong())?,
        until.trim().parse().map_err(|_| wrong())?,
    ))
}

fn weekdays(text: &str) -> Result<hearth::Weekdays, String> {
    text.parse().map_err(|e: hearth::BadDays| e.to_string())
}

fn clock_time(text: &str) -> Result<hearth::ClockTime, String> {
    text.parse()
        .map_err(|e: hearth::BadClockTime| e.to_string())
}

/// `rituals accept` and `rituals decline`.
#[derive(Debug, Args)]
pub(crate) struct RitualArg {
    /// Which ritual's change (needed only when changes to several wait).
    pub(crate) ritual: Option<RitualName>,
}

/// A ritual, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RitualName {
    /// The morning check-in.
    Morning,
    /// The evening debrief.
    Evening,
    /// Bedtime gratitude.
    Gratitude,
    /// The weekly date night.
    DateNight,
    /// The weekly relationship check-in.
    Weekly,
}

impl RitualName {
    pub(crate) fn ritual(self) -> hearth::Ritual {
        match self {
            RitualName::Morning => hearth::Ritual::Morning,
            RitualName::Evening => hearth::Ritual::Evening,
            RitualName::Gratitude => hearth::Ritual::Gratitude,
            RitualName::DateNight => hearth::Ritual::DateNight,
            RitualName::Weekly => hearth::Ritual::Weekly,
        }
    }
}

/// `date-night`.
#[derive(Debug, Args)]
pub(crate) struct DateNightArgs {
    /// What to do; without it, shows the next date night and the last.
    #[command(subcommand)]
    pub(crate) action: Option<DateNightAction>,
    /// JSON instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

/// What `date-night` does.
#[derive(Debug, Subcommand)]
pub(crate) enum DateNightAction {
    /// Offer another idea for the next date night, for both of you.
    Another,
    /// Note the plan for the next date night (in place of any earlier plan).
    Plan {
        /// The plan, in a line or two ("-" reads it from standard input).
        text: String,
    },
    /// Your one line about the last date night, afterwards.
    Remember {
        /// The line ("-" reads it from standard input).
        text: String,
    },
}

/// A switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OnOff {
    /// On.
    On,
    /// Off.
    Off,
}

/// `insights`.
#[derive(Debug, Args)]
pub(crate) struct InsightsArgs {
    /// How many weeks to look back over.
    #[arg(long, default_value_t = 8)]
    pub(crate) weeks: u32,
    /// JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `restore`.
#[derive(Debug, Args)]
pub(crate) struct RestoreArgs {
    /// The entry's id, or enough of its beginning to name one entry.
    pub(crate) id: String,
    /// The version to bring back, as `hearth history` numbers it.
    pub(crate) version: usize,
}

/// `search`.
#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// The words to look for (all of them, in any case).
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub(crate) query: Vec<String>,
    /// JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// A command whose only option is `--json`.
#[derive(Debug, Args)]
pub(crate) struct JsonArgs {
    /// JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `mailbox`.
#[derive(Debug, Subcommand)]
pub(crate) enum MailboxCommand {
    /// Add a mailbox: a folder both partners' computers reach (a folder a file-sync service keeps
    /// in step, a network share, a USB stick), or a mailbox server by its ticket
    /// (`hearthbox1...`). Nothing readable is left in either.
    Add {
        /// The folder, or the server's ticket.
        #[arg(value_name = "DIR|TICKET")]
        place: std::ffi::OsString,
    },
    /// The mailboxes this device exchanges with, and how the last exchanges went.
    List(JsonArgs),
    /// Stop exchanging with a mailbox (by its name, as `hearth mailbox list` shows it). A
    /// server is removed from all of the journal's devices.
    Remove {
        /// The mailbox's name.
        name: String,
    },
    /// Run a mailbox server for the journals whose devices add its ticket: it keeps their sealed
    /// files and can read none of them. Prints its ticket as the first line of standard output,
    /// then serves until SIGINT or SIGTERM. Needs no journal of its own.
    Serve(MailboxServeArgs),
}

/// `mailbox serve`.
#[derive(Debug, Args)]
pub(crate) struct MailboxServeArgs {
    /// Where to keep the files and the server's identity: a folder, or `s3://BUCKET/PREFIX` for
    /// S3-compatible object storage (endpoint and credentials from the AWS_* environment
    /// variables) [default: the folder `mailbox-server` in the data directory].
    #[arg(long, value_name = "DIR|s3://BUCKET/PREFIX")]
    pub(crate) storage: Option<String>,
    /// Bind the UDP socket to this address:port [default: every interface, any free port].
    #[arg(long, value_name = "ADDR")]
    pub(crate) bind: Option<SocketAddr>,
    /// No public relays or DNS: reachable at its direct addresses only.
    #[arg(long, conflicts_with = "relay")]
    pub(crate) local: bool,
    /// Use this relay instead of the public ones.
    #[arg(long, value_name = "URL", value_parser = relay_url)]
    pub(crate) relay: Option<hearth::RelayUrl>,
    /// How much one journal may keep on the server, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 512)]
    pub(crate) quota_mib: u64,
}

/// `sync`.
#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// How long to try to reach the journal's other devices live, in seconds [default: 30, or 5
    /// once a mailbox was reached].
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    pub(crate) timeout: Option<u64>,
    #[command(flatten)]
    pub(crate) net: NetArgs,
}

/// `serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Print each event as a JSON object on its own line.
    #[arg(long)]
    pub(crate) json: bool,
    /// Remind of the rituals you keep together with desktop notifications, at each ritual's
    /// time on this device's clock (at most one a ritual a day; "Snooze an hour" and "Not today"
    /// on each).
    #[arg(long)]
    pub(crate) remind: bool,
    /// With --remind: no notification between these times, as HH:MM-HH:MM (across midnight
    /// when the first is later).
    #[arg(long, value_name = "HH:MM-HH:MM", value_parser = quiet_hours, requires = "remind")]
    pub(crate) quiet_hours: Option<(hearth::ClockTime, hearth::ClockTime)>,
    #[command(flatten)]
    pub(crate) net: NetArgs,
}

/// `status`.
#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
    /// Go online and try to reach your partner's devices first, to show presence and addresses.
    #[arg(long)]
    pub(crate) online: bool,
    /// With --online: how long to try, in seconds.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 5,
        value_parser = seconds,
        requires = "online"
    )]
    pub(crate) timeout: u64,
    #[command(flatten)]
    pub(crate) net: NetArgs,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// A readable document, grouped by day.
    Markdown,
    /// JSON (see docs/cli.md).
    Json,
    /// The journal as it reads now, as an Automerge document without history.
    Automerge,
}

/// `export`.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The format.
    #[arg(long, short, value_enum)]
    pub(crate) format: FormatArg,
    /// Where to write it (`-` for standard output).
    #[arg(long, short, value_name = "PATH")]
    pub(crate) out: PathBuf,
    /// With `--format automerge`: the whole document with its history, which still holds
    /// deleted entries, earlier versions of edited text and answers you have not opened.
    #[arg(long)]
    pub(crate) with_history: bool,
}

/// `unpair`.
#[derive(Debug, Args)]
pub(crate) struct UnpairArgs {
    /// The device's id (as `hearth status` shows it), or enough of its beginning to name one.
    pub(crate) device: String,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    pub(crate) yes: bool,
    /// Also undo the removals that device made (for a lost or stolen device that removed others).
    #[arg(long)]
    pub(crate) undo_its_removals: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_mood_outside_one_to_ten_is_a_usage_error() {
        let parsed = Cli::try_parse_from(["hearth", "write", "--kind", "checkin", "--mood", "11"]);
        let err = parsed.expect_err("11 is refused");
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
    }
}
