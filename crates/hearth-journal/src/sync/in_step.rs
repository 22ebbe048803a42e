//! Taking a peer's sync message without walking the journal's whole history, when that walk
//! cannot change anything.
//!
//! Automerge's `receive_sync_message` ends by forgetting the changes it has sent that the peer
//! now holds: it walks every ancestor of the peer's heads, which is the whole change graph, on
//! every message. That walk grows with the journal; at 10,000 entries it was the largest part of
//! a live edit's trip. In a live session the changes in flight are almost always the peer's heads
//! themselves (the peer has just answered the change it was sent), or there are none (this
//! replica sent nothing), and then the walk's outcome is known without it: every change sent is
//! forgotten. [`receive`] takes such a message exactly as Automerge would, and gives any other
//! back to be taken by Automerge. The tests below compare the two on every step of generated
//! sessions.

use automerge::sync::{Capability, Message, MessageFlags, State};
use automerge::{AutoCommit, AutomergeError, ChangeHash};

/// Takes `message` into `doc` and `state` as Automerge's `receive_sync_message` would, if every
/// change `state` counts as sent is one of the message's heads; otherwise gives it back untaken.
pub(super) fn receive(
    doc: &mut AutoCommit,
    state: &mut State,
    message: Message,
) -> Result<Result<(), AutomergeError>, Message> {
    let resets = message
        .flags
        .is_some_and(|flags| flags.contains(MessageFlags::SYNC_RESET));
    let in_step = !state.read_only
        && !resets
        && state
            .sent_hashes
            .iter()
            .all(|sent| message.heads.contains(sent));
    if !in_step {
        return Err(message);
    }
    Ok(take(doc, state, message))
}

fn take(doc: &mut AutoCommit, state: &mut State, message: Message) -> Result<(), AutomergeError> {
    state.in_flight = false;
    let before = doc.get_heads();
    let Message {
        heads,
        need,
        have,
        changes,
        flags,
        ..
    } = message;
    if let Some(flags) = flags {
        // Only a peer that knows the second message format sends flags.
        let mut capabilities = vec![Capability::MessageV2];
        if flags.contains(MessageFlags::SUPPORTS_SYNC_RESET) {
            capabilities.push(Capability::SyncReset);
        }
        state.their_capabilities = Some(capabilities);
        state.peer_read_only = flags.contains(MessageFlags::READ_ONLY);
    }
    let carried_changes = !changes.is_empty();
    if carried_changes {
        let bytes: Vec<u8> = changes.iter().flatten().copied().collect();
        doc.load_incremental(&bytes)?;
        let after = doc.get_heads();
        state.shared_heads = advanced(&before, &after, &state.shared_heads);
    }
    // What the walk would have found: each change sent is one of the peer's heads.
    state.sent_hashes.clear();
    if !carried_changes && heads == before {
        state.last_sent_heads.clone_from(&heads);
    }
    let known: Vec<ChangeHash> = heads
        .iter()
        .filter(|head| doc.document().get_change_meta_by_hash(head).is_some())
        .copied()
        .collect();
    if known.len() == heads.len() {
        state.shared_heads.clone_from(&heads);
        if heads.is_empty() {
            // The peer holds nothing: start again from nothing.
            state.last_sent_heads = Vec::new();
        }
    } else {
        let mut shared = std::mem::take(&mut state.shared_heads);
        shared.extend(known);
        shared.sort();
        shared.dedup();
        state.shared_heads = shared;
    }
    state.their_have = Some(have);
    state.their_heads = Some(heads);
    state.their_need = Some(need);
    Ok(())
}

/// The heads both sides hold after this replica went from `before` to `after` by taking the
/// peer's changes: what is new here, and what was shared and is still a head.
fn advanced(before: &[ChangeHash], after: &[ChangeHash], shared: &[ChangeHash]) -> Vec<ChangeHash> {
    let mut heads: Vec<ChangeHash> = after
        .iter()
        .filter(|head| !before.contains(head))
        .chain(shared.iter().filter(|head| after.contains(head)))
        .copied()
        .collect();
    heads.sort();
    heads.dedup();
    heads
}

#[cfg(test)]
mod tests {
    use automerge::sync::SyncDoc;
    use automerge::transaction::Transactable;
    use automerge::{ActorId, ROOT};
    use proptest::prelude::*;

    use super::*;

    /// One replica and its sync state with each other replica.
    struct Replica {
        doc: AutoCommit,
        states: Vec<State>,
        /// Messages from each other replica, oldest first.
        inbox: Vec<Vec<Message>>,
    }

    #[derive(Clone, Debug)]
    enum Step {
        /// Replica `0` writes `1` under key `2`.
        Write(usize, u8, u8),
        /// Replica `0` generates its next message for replica `1`.
        Send(usize, usize),
        /// Replica `0` takes the oldest message waiting from replica `1`.
        Take(usize, usize),
        /// Replica `0` loses the newest message waiting from replica `1` (a dropped connection).
        Lose(usize, usize),
        /// Replica `0` starts a new connection with replica `1`.
        Reconnect(usize, usize),
    }

    const REPLICAS: usize = 3;

    fn step() -> impl Strategy<Value = Step> {
        let who = 0..REPLICAS;
        prop_oneof![
            2 => (who.clone(), any::<u8>(), 0u8..8).prop_map(|(r, v, k)| Step::Write(r, v, k)),
            4 => (who.clone(), who.clone()).prop_map(|(a, b)| Step::Send(a, b)),
            5 => (who.clone(), who.clone()).prop_map(|(a, b)| Step::Take(a, b)),
            1 => (who.clone(), who.clone()).prop_map(|(a, b)| Step::Lose(a, b)),
            1 => (who.clone(), who).prop_map(|(a, b)| Step::Reconnect(a, b)),
        ]
    }

    fn replicas() -> Vec<Replica> {
        let mut first = AutoCommit::new().with_actor(ActorId::from([0u8; 16]));
        first.put(ROOT, "start", 0).unwrap();
        first.commit();
        (0..REPLICAS)
            .map(|i| Replica {
                doc: first.fork().with_actor(ActorId::from([i as u8 + 1; 16])),
                states: vec![State::new(); REPLICAS],
                inbox: vec![Vec::new(); REPLICAS],
            })
            .collect()
    }

    /// Takes `message` both ways, from the same starting point, and checks they agree.
    fn take_both(replica: &mut Replica, from: usize, message: Message) -> bool {
        let mut theirs_doc = replica.doc.clone();
        let mut theirs_state = replica.states[from].clone();
        let theirs = theirs_doc
            .sync()
            .receive_sync_message(&mut theirs_state, message.clone());
        let state = &mut replica.states[from];
        let (ours, fast) = match receive(&mut replica.doc, state, message) {
            Ok(taken) => (taken, true),
            Err(message) => (
                replica.doc.sync().receive_sync_message(state, message),
                false,
            ),
        };
        assert_eq!(ours.is_ok(), theirs.is_ok());
        assert_eq!(replica.states[from], theirs_state);
        assert_eq!(replica.doc.get_heads(), theirs_doc.get_heads());
        fast
    }

    fn run(steps: &[Step]) -> usize {
        let mut all = replicas();
        let mut fast = 0;
        for step in steps {
            match *step {
                Step::Write(r, value, key) => {
                    let doc = &mut all[r].doc;
                    doc.put(ROOT, format!("k{key}"), i64::from(value)).unwrap();
                    doc.commit();
                }
                Step::Send(a, b) if a != b => {
                    let replica = &mut all[a];
                    let message = replica
                        .doc
                        .sync()
                        .generate_sync_message(&mut replica.states[b]);
                    all[b].inbox[a].extend(message);
                }
                Step::Take(a, b) if a != b && !all[a].inbox[b].is_empty() => {
                    let message = all[a].inbox[b].remove(0);
                    fast += usize::from(take_both(&mut all[a], b, message));
                }
                Step::Lose(a, b) => {
                    all[a].inbox[b].pop();
                }
                Step::Reconnect(a, b) if a != b => {
                    for (x, y) in [(a, b), (b, a)] {
                        let state = &mut all[x].states[y];
                        *state = State::decode(&state.encode()).unwrap();
                        all[x].inbox[y].clear();
                    }
                }
                _ => {}
            }
        }
        fast
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn a_message_taken_in_step_leaves_what_automerge_would(
            steps in proptest::collection::vec(step(), 1..120),
        ) {
            run(&steps);
        }
    }

    #[test]
    fn a_live_session_takes_its_messages_in_step() {
        // Ada writes, Ben answers, and back: the shape of a live session.
        let mut steps = Vec::new();
        for i in 0..20u8 {
            steps.extend([
                Step::Write(0, i, i % 8),
                Step::Send(0, 1),
                Step::Take(1, 0),
                Step::Send(1, 0),
                Step::Take(0, 1),
            ]);
        }
        let taken = run(&steps);
        assert!(
            taken >= 35,
            "only {taken} of 40 messages were taken in step"
        );
    }
}
