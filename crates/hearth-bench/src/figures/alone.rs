//! The journal alone: two replicas of a journal in memory, a change made on one and synced to the
//! other by handing each sync message straight over. No disk, no network, no threads: what
//! Automerge and the journal cost, the floor under the live figures. Beside them, a third replica
//! held by Automerge alone takes each change too, so that what Automerge's own apply costs at each
//! size of journal can be told apart from the rest.

use std::time::{Duration, Instant};

use automerge::AutoCommit;
use hearth_journal::Journal;
use hearth_journal::sync::{PeerSync, validate_sync_message};

use crate::measure::Samples;
use crate::rng::Rng;

/// Ada's and Ben's replicas of one journal, in sync.
pub struct Pair {
    pub ada: Journal,
    ben: Journal,
    to_ben: PeerSync,
    to_ada: PeerSync,
    /// Ben's replica once more, as a bare Automerge document.
    bare: AutoCommit,
}

/// What one change cost.
pub struct Round {
    /// Ada's change made, encoded, sent to Ben, taken and encoded there.
    pub took: Duration,
    /// The bare Automerge replica taking the same change's bytes (`load_incremental`, as a live
    /// session takes a change): Automerge's apply alone.
    pub applied: Duration,
}

impl Pair {
    /// Both replicas loaded from `doc`, their sync states settled as a live session has them.
    pub fn new(doc: &[u8], rng: &mut Rng) -> anyhow::Result<Pair> {
        let mut pair = Pair {
            ada: Journal::load(doc, rng.bytes())?,
            ben: Journal::load(doc, rng.bytes())?,
            to_ben: PeerSync::new(),
            to_ada: PeerSync::new(),
            bare: AutoCommit::load(doc)?,
        };
        pair.ada.mark_saved();
        pair.ben.mark_saved();
        for _ in 0..16 {
            let a = hand_over(
                &mut pair.ada,
                &mut pair.to_ben,
                &mut pair.ben,
                &mut pair.to_ada,
            )?;
            let b = hand_over(
                &mut pair.ben,
                &mut pair.to_ada,
                &mut pair.ada,
                &mut pair.to_ben,
            )?;
            if !a && !b {
                break;
            }
        }
        Ok(pair)
    }

    /// Ada makes a change and encodes it for storage; her sync message goes to Ben, who takes
    /// it and encodes it for storage. Returns the time that took, and the time the bare replica
    /// took to apply the change; Ben's answer follows, untimed.
    pub fn round(
        &mut self,
        change: impl FnOnce(&mut Journal) -> anyhow::Result<()>,
    ) -> anyhow::Result<Round> {
        let start = Instant::now();
        change(&mut self.ada)?;
        let bytes = self.ada.save_incremental();
        hand_over(
            &mut self.ada,
            &mut self.to_ben,
            &mut self.ben,
            &mut self.to_ada,
        )?;
        let _ = self.ben.save_incremental();
        let took = start.elapsed();
        hand_over(
            &mut self.ben,
            &mut self.to_ada,
            &mut self.ada,
            &mut self.to_ben,
        )?;
        let start = Instant::now();
        self.bare.load_incremental(&bytes)?;
        let applied = start.elapsed();
        anyhow::ensure!(
            self.bare.get_heads() == self.ben.heads(),
            "the bare replica took the change as Ben's did"
        );
        Ok(Round { took, applied })
    }
}

/// The rounds of one figure: each whole, and Automerge's apply within it.
#[derive(Default)]
pub struct Alone {
    pub took: Samples,
    pub applied: Samples,
}

impl Alone {
    pub fn push(&mut self, round: Round) {
        self.took.push_duration(round.took);
        self.applied.push_duration(round.applied);
    }
}

/// One sync message from `from` to `to`, checked as the network checks it. Whether there was one.
fn hand_over(
    from: &mut Journal,
    from_state: &mut PeerSync,
    to: &mut Journal,
    to_state: &mut PeerSync,
) -> anyhow::Result<bool> {
    let Some(bytes) = from.generate_sync_message(from_state)? else {
        return Ok(false);
    };
    to.receive_sync_message(to_state, validate_sync_message(&bytes)?)?;
    Ok(true)
}
