//! The couple's day: partners in two time zones see one question of the day, the one of the
//! journal's home time zone, which either can change for both; and a letter for later opens on
//! the partner's device at its moment, not before.

mod support;

use std::time::Duration;

use hearth::{Content, Draft, Options, Refusal, UnixMs, WriteError, Zone};
use support::*;

fn in_zone(zone: &Zone) -> Options {
    Options {
        time_zone: zone.clone(),
        ..local()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partners_a_day_apart_share_one_question_and_either_moves_the_couples_day() {
    // Kiritimati is 14 hours ahead of UTC and Honolulu 10 behind: their dates always differ.
    let kiritimati = Zone::named("Pacific/Kiritimati").expect("a known zone");
    let honolulu = Zone::named("Pacific/Honolulu").expect("a known zone");
    let now = UnixMs::now();
    assert_ne!(kiritimati.date_at(now), honolulu.date_at(now));
    let (a, b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let ada = create(a.path(), "Ada", in_zone(&kiritimati)).await;
    let ben = create(b.path(), "Ben", in_zone(&honolulu)).await;
    pair(&ada, &ben).await;
    assert!(eventually(30, async || ben.journal_ready()).await);

    // The journal keeps its founder's zone: both see the same day and the same question.
    assert_eq!(
        ben.home_zone().await.expect("open").as_deref(),
        Some("Pacific/Kiritimati")
    );
    let (ada_day, ben_day) = (
        ada.today().await.expect("today"),
        ben.today().await.expect("today"),
    );
    assert_eq!(ada_day.date, kiritimati.date_at(UnixMs::now()));
    assert_eq!(ben_day.date, ada_day.date);
    assert_eq!(ben_day.question, ada_day.question);
    // Answers follow it: Ben's answer is to the question Ada sees, so each opens the other's.
    ada.answer_today("The boat at dawn.").await.expect("answer");
    ben.answer_today("The long table.").await.expect("answer");
    assert!(
        eventually(30, async || matches!(
            ada.today().await.expect("today").answers.partner,
            hearth::PartnerAnswer::Revealed(_)
        ))
        .await,
        "Ben's answer opens on Ada's device"
    );

    // Ben moves the couple's day to his zone; Ada's device follows.
    ben.set_home_zone("Pacific/Honolulu")
        .await
        .expect("set the zone");
    assert_eq!(
        ben.today().await.expect("today").date,
        honolulu.date_at(UnixMs::now())
    );
    assert!(
        eventually(30, async || ada
            .status()
            .await
            .expect("status")
            .home_zone
            .as_deref()
            == Some("Pacific/Honolulu"))
        .await
    );
    assert_eq!(
        ada.today().await.expect("today").date,
        honolulu.date_at(UnixMs::now())
    );
    assert!(matches!(
        ben.set_home_zone("Mars/Olympus_Mons").await,
        Err(WriteError::Refused(Refusal::BadZone { .. }))
    ));
    for h in [ada, ben] {
        h.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_letter_opens_on_the_partners_device_at_its_moment_and_not_before() {
    let (a, b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let ada = create(a.path(), "Ada", local()).await;
    let ben = create(b.path(), "Ben", local()).await;
    pair(&ada, &ben).await;
    assert!(eventually(30, async || ben.journal_ready()).await);

    let words = "Open this after the long drive home.";
    let opens_at = UnixMs::now().plus(Duration::from_secs(4));
    let id = ada
        .write(Draft::shared(Content::Letter {
            opens_at,
            body: words.into(),
        }))
        .await
        .expect("write");
    // Ben's device learns that a letter waits, and when it opens, never its words.
    assert!(
        eventually(30, async || ben
            .entry(&id)
            .await
            .ok()
            .flatten()
            .is_some_and(
                |i| i.entry.content == Content::SealedLetter { opens_at }
            ))
        .await
    );
    if UnixMs::now() < opens_at {
        let waiting = ben.today().await.expect("today").letters;
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].content, Content::SealedLetter { opens_at });
        assert!(!format!("{waiting:?}").contains("long drive"));
    }
    // At its moment Ada's device opens it by itself, and it reaches Ben while both are online.
    assert!(
        eventually(40, async || ben
            .entry(&id)
            .await
            .ok()
            .flatten()
            .is_some_and(|i| i.entry.content
                == Content::Letter {
                    opens_at,
                    body: words.into()
                }))
        .await,
        "the letter opened on Ben's device"
    );
    assert!(UnixMs::now() >= opens_at, "not before its moment");
    assert!(ben.today().await.expect("today").letters.is_empty());

    // A letter opens later than now, and is never private.
    let past = Draft::shared(Content::Letter {
        opens_at: UnixMs::now(),
        body: "Too late.".into(),
    });
    assert!(matches!(
        ada.write(past).await,
        Err(WriteError::Refused(Refusal::OpensNow))
    ));
    let private = Draft::private(Content::Letter {
        opens_at: UnixMs::now().plus(Duration::from_secs(60)),
        body: "Mine alone.".into(),
    });
    assert!(matches!(
        ada.write(private).await,
        Err(WriteError::Refused(Refusal::SharedOnly { .. }))
    ));
    for h in [ada, ben] {
        h.shutdown().await;
    }
}
