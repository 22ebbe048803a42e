//! First run: welcome, name, passphrase (with its hint and warning), the journal is made, and the
//! pairing screen offers to bring the partner in.

mod gui_support;

use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::*;

#[test]
fn first_run_makes_an_encrypted_journal_and_offers_pairing() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut h = harness(dir.path());
    h.step();
    assert!(h.query_by_label("Welcome to Hearth").is_some());
    snapshot(&mut h, "welcome", &[]);

    click(&mut h, "Let's begin");
    type_into(&mut h, "Your name", "Ada");
    snapshot(&mut h, "name", &[]);
    click(&mut h, "Continue");

    type_into(&mut h, "Passphrase", PASSPHRASE);
    type_into(&mut h, "Passphrase again", PASSPHRASE);
    assert!(h.query_by_label("Lovely and strong.").is_some());
    assert!(
        h.query_by_label_contains("nobody — not even us — can open this journal")
            .is_some()
    );
    snapshot(&mut h, "passphrase", &[]);
    assert!(
        !hearth::Hearth::exists(dir.path()),
        "nothing is written before Create"
    );

    click(&mut h, "Create our journal");
    wait_for(&mut h, "Bring your partner in");
    assert!(hearth::Hearth::exists(dir.path()), "the store was written");
    snapshot(&mut h, "pairing_choose", &[]);

    click(&mut h, "Not now — I'll start on my own");
    wait_for(&mut h, "QUESTION OF THE DAY");
    assert!(
        h.query_by_label("Good afternoon, Ada").is_some(),
        "greets Ada by name"
    );
    assert!(
        h.query_by_label("Invite or join").is_some(),
        "offers pairing again"
    );
    assert!(h.query_by_label_contains("Not paired yet").is_some());
}

#[test]
fn a_passphrase_guessed_at_once_is_refused_a_weak_one_advised_and_mismatches_shown() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut h = harness(dir.path());
    h.step();
    click(&mut h, "Let's begin");
    type_into(&mut h, "Your name", "Sam");
    click(&mut h, "Continue");
    // The person's own name, typed twice alike: refused, with why.
    type_into(&mut h, "Passphrase", "sam");
    type_into(&mut h, "Passphrase again", "sam");
    assert!(
        h.query_by_label_contains("guessed almost at once")
            .is_some()
    );
    assert!(
        h.get_by_label("Create our journal")
            .accesskit_node()
            .is_disabled(),
        "cannot create with a passphrase guessed at once"
    );
    assert!(
        h.query_by_label("Passphrase strength: too easy to guess")
            .is_some()
    );

    // Longer, but still weak: advised on, not refused.
    replace_text(&mut h, "Passphrase", "bluebird7");
    assert!(
        h.query_by_label("Passphrase strength: too easy to guess")
            .is_none()
    );
    assert!(
        h.query_by_label_contains("a longer phrase").is_some()
            || h.query_by_label_contains("A word or two more").is_some()
    );
    replace_text(&mut h, "Passphrase again", "abd");
    assert!(h.query_by_label("The two don't match yet.").is_some());
    assert!(
        h.get_by_label("Create our journal")
            .accesskit_node()
            .is_disabled(),
        "cannot create with passphrases that differ"
    );
    assert!(!hearth::Hearth::exists(dir.path()));
}
