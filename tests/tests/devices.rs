//! More than one device each, and a home device: four real devices on loopback pair in person,
//! each writes while the others are off, and all converge through whichever are online.

mod support;

use std::path::Path;

use hearth::{Hearth, NewDevice, Options, Status};
use support::*;

/// A device that keeps its UDP port from one run to the next, as a person's does: the others find
/// it where its record in the journal says.
fn steady() -> Options {
    Options {
        bind: None,
        ..local()
    }
}

async fn reopen(dir: &Path) -> Hearth {
    open(dir, steady()).await
}

/// How many devices of the journal a device's status names, its own included.
fn devices(status: &Status) -> usize {
    status
        .members
        .iter()
        .map(|m| m.devices.len())
        .sum::<usize>()
        + status.home_devices.len()
}

/// The epoch of the journal key `device` holds, as `h` knows it.
async fn epoch_of(h: &Hearth, device: hearth::DeviceId) -> u32 {
    let status = h.status().await.expect("status");
    status
        .members
        .iter()
        .flat_map(|m| &m.devices)
        .chain(&status.home_devices)
        .find(|d| d.id == device)
        .map_or(0, |d| d.epoch)
}

async fn has_all(h: &Hearth, want: &[&str]) -> bool {
    let have = texts(h).await;
    want.iter().all(|w| have.iter().any(|t| t == w))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_of_one_person_a_partner_and_a_home_device_converge() {
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().expect("dir")).collect();
    let (d_laptop, d_phone, d_bob, d_home) = (
        dirs[0].path(),
        dirs[1].path(),
        dirs[2].path(),
        dirs[3].path(),
    );
    let laptop = create(d_laptop, "Ada", steady()).await;
    let bob = create(d_bob, "Bob", steady()).await;
    // Ada's phone was set up on its own first, under a name she typed differently.
    let phone = create(d_phone, "Ada R.", steady()).await;
    let home = Hearth::create_home(d_home, &passphrase(), steady())
        .await
        .expect("a home device");

    // Without saying, the first invitation is for the partner, the next for one's own device.
    assert_eq!(
        laptop.default_invite().await.expect("open"),
        NewDevice::Partner
    );
    pair(&laptop, &bob).await;
    assert!(eventually(30, async || bob.journal_ready()).await);
    assert_eq!(
        laptop.default_invite().await.expect("open"),
        NewDevice::Mine
    );
    assert!(
        matches!(
            laptop.invite(Some(NewDevice::Partner)).await,
            Err(hearth::InviteError::PartnerAlreadyHere)
        ),
        "a journal has two people"
    );
    pair_for(&laptop, &phone, Some(NewDevice::Mine)).await;
    assert!(eventually(30, async || phone.journal_ready()).await);
    // The home device pairs with Bob's phone only.
    pair_for(&bob, &home, Some(NewDevice::Home)).await;
    assert!(eventually(30, async || home.journal_ready()).await);

    // Ada's phone is Ada's: her name, her member id, two people in the journal.
    let (ada, ada_on_phone) = (
        laptop.me().await.expect("me"),
        phone.me().await.expect("me"),
    );
    assert_eq!(ada_on_phone.id, ada.id);
    assert_eq!(ada_on_phone.name, "Ada");
    assert_eq!(phone.members().await.expect("members").len(), 2);

    // Every device learns of every other, including those it never paired with.
    for h in [&laptop, &phone, &bob, &home] {
        assert!(
            eventually(30, async || devices(&h.status().await.expect("status"))
                == 4)
            .await,
            "{:#?}",
            h.status().await.expect("status")
        );
    }
    // A device named by its person shows that name on every device.
    laptop
        .set_device_name("Ada's laptop")
        .await
        .expect("name the laptop");
    assert!(
        eventually(30, async || bob
            .status()
            .await
            .expect("status")
            .members
            .iter()
            .flat_map(|m| &m.devices)
            .any(|d| d.name == "Ada's laptop"))
        .await
    );
    let status = phone.status().await.expect("status");
    let me = status.members.iter().find(|m| m.me).expect("me first");
    assert_eq!(me.id, ada.id);
    assert_eq!(me.devices.len(), 2);
    assert_eq!(me.devices.iter().filter(|d| d.this_device).count(), 1);
    assert_eq!(status.home_devices.len(), 1);
    let home_status = home.status().await.expect("status");
    assert!(home_status.home);
    assert!(home_status.members.iter().all(|m| !m.me));
    // A home device writes nothing of its own.
    assert!(matches!(
        home.write(hearth::Draft::shared(hearth::Content::Journal {
            body: "nobody's words".into()
        }))
        .await,
        Err(hearth::WriteError::HomeDevice)
    ));
    // Each device's record says where it listens a few seconds after it comes online (the
    // addresses settle first); give them time to spread before everyone goes.
    tokio::time::sleep(std::time::Duration::from_secs(8)).await;
    for h in [laptop, phone, bob, home] {
        h.shutdown().await;
    }

    // Each writes while the others are off.
    let phone = reopen(d_phone).await;
    write(&phone, "written on Ada's phone on the train").await;
    phone.shutdown().await;
    let bob = reopen(d_bob).await;
    write(&bob, "written by Bob at the bakery").await;
    bob.shutdown().await;
    let laptop = reopen(d_laptop).await;
    write(&laptop, "written on Ada's laptop at night").await;
    laptop.shutdown().await;

    // The home device meets Ada's phone, which it never paired with ...
    let home = reopen(d_home).await;
    let phone = reopen(d_phone).await;
    assert!(
        eventually(60, async || has_all(
            &home,
            &["written on Ada's phone on the train"]
        )
        .await)
        .await,
        "the home device gets the phone's entry: {:?}",
        texts(&home).await
    );
    phone.shutdown().await;
    // ... then Bob's phone, then Ada's laptop, each while the rest are off.
    let bob = reopen(d_bob).await;
    assert!(
        eventually(60, async || has_all(
            &bob,
            &["written on Ada's phone on the train"]
        )
        .await
            && has_all(&home, &["written by Bob at the bakery"]).await)
        .await
    );
    bob.shutdown().await;
    let laptop = reopen(d_laptop).await;
    let everything = [
        "written on Ada's phone on the train",
        "written by Bob at the bakery",
        "written on Ada's laptop at night",
    ];
    assert!(
        eventually(60, async || has_all(&laptop, &everything).await
            && has_all(&home, &everything).await)
        .await,
        "laptop {:?} / home {:?}",
        texts(&laptop).await,
        texts(&home).await
    );
    // A sync reaches the home device and names the ones that are off.
    let report = laptop
        .sync_now(std::time::Duration::from_secs(20))
        .await
        .expect("one device of the journal is online");
    assert_eq!(report.devices.len(), 1);
    assert_eq!(report.unreachable.len(), 2);
    laptop.shutdown().await;

    // And the two that were off catch up from the home device alone.
    let phone = reopen(d_phone).await;
    let bob = reopen(d_bob).await;
    assert!(
        eventually(60, async || has_all(&phone, &everything).await
            && has_all(&bob, &everything).await)
        .await
    );
    for h in [phone, bob, home] {
        h.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_removed_by_the_partner_is_cut_off_everywhere_and_told() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().expect("dir")).collect();
    let laptop = create(dirs[0].path(), "Ada", local()).await;
    let bob = create(dirs[1].path(), "Bob", local()).await;
    let phone = create(dirs[2].path(), "Ada", local()).await;
    pair(&laptop, &bob).await;
    assert!(eventually(30, async || bob.journal_ready()).await);
    pair_for(&laptop, &phone, Some(NewDevice::Mine)).await;
    assert!(eventually(30, async || phone.journal_ready()).await);
    let phone_id = phone.status().await.expect("status").device_id;
    let bob_id = bob.status().await.expect("status").device_id;
    let laptop_id = laptop.status().await.expect("status").device_id;
    // Bob's device hears of Ada's phone and connects to it.
    assert!(
        eventually(30, async || bob
            .status()
            .await
            .expect("status")
            .partner_devices
            .iter()
            .any(|d| d.device_id == phone_id && d.online))
        .await
    );

    // Ada's phone is stolen while off; Bob removes it from his device, and the journal gets a
    // new key that the phone never receives.
    assert_eq!(bob.status().await.expect("status").epoch, 0);
    phone.shutdown().await;
    bob.unpair(phone_id).await.expect("remove");
    assert_eq!(bob.status().await.expect("status").epoch, 1);
    assert!(
        eventually(30, async || laptop.status().await.expect("status").epoch
            == 1)
        .await,
        "the laptop receives the new key, sealed to it in the journal"
    );
    // Each device shows when the others have it.
    assert!(
        eventually(30, async || epoch_of(&bob, laptop_id).await == 1).await,
        "bob's device sees that the laptop has the new key"
    );
    assert!(matches!(
        bob.unpair(bob_id).await,
        Err(hearth::UnpairError::ThisDevice)
    ));
    // Switched on again, it is turned away with the reason, and stops.
    let phone = open(dirs[2].path(), local()).await;
    assert!(
        eventually(30, async || phone
            .status()
            .await
            .expect("status")
            .removed_by
            .is_some())
        .await,
        "the removed device learns it was removed"
    );
    assert!(matches!(
        phone.sync_now(std::time::Duration::from_secs(5)).await,
        Err(hearth::SyncError::Removed { .. })
    ));
    assert!(matches!(
        phone
            .write(hearth::Draft::shared(hearth::Content::Journal {
                body: "written by the thief".into()
            }))
            .await,
        Err(hearth::WriteError::Removed)
    ));
    // Ada's laptop forgot it too, though the removal was Bob's.
    assert!(
        eventually(30, async || !laptop
            .status()
            .await
            .expect("status")
            .partner_devices
            .iter()
            .any(|d| d.device_id == phone_id))
        .await
    );
    // What is written now never reaches it; it keeps what it had.
    write(&laptop, "after the phone was lost").await;
    assert!(
        eventually(30, async || texts(&bob)
            .await
            .contains(&"after the phone was lost".to_owned()))
        .await
    );
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert!(
        !texts(&phone)
            .await
            .contains(&"after the phone was lost".to_owned())
    );
    // It never held the new key; and it stays removed when opened again.
    assert_eq!(phone.status().await.expect("status").epoch, 0);
    phone.shutdown().await;
    let phone = open(dirs[2].path(), local()).await;
    assert!(phone.status().await.expect("status").removed_by.is_some());
    assert_eq!(phone.status().await.expect("status").epoch, 0);
    assert!(matches!(
        phone.sync_now(std::time::Duration::from_secs(5)).await,
        Err(hearth::SyncError::Removed { .. })
    ));
    // Sold on, it joins someone else's journal and is a device like any other there.
    let other = tempfile::tempdir().expect("dir");
    let cy = create(other.path(), "Cy", local()).await;
    pair(&cy, &phone).await;
    assert!(eventually(30, async || phone.journal_ready()).await);
    assert_eq!(phone.status().await.expect("status").removed_by, None);
    write(&phone, "a new owner's first words").await;
    assert!(
        eventually(30, async || texts(&cy)
            .await
            .contains(&"a new owner's first words".to_owned()))
        .await
    );
    for h in [phone, laptop, bob, cy] {
        h.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_a_lost_phone_made_after_its_removal_is_not_read_once_the_removal_is_known() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().expect("dir")).collect();
    let laptop = create(dirs[0].path(), "Ada", local()).await;
    let bob = create(dirs[1].path(), "Bob", local()).await;
    let phone = create(dirs[2].path(), "Ada", local()).await;
    pair(&laptop, &bob).await;
    assert!(eventually(30, async || bob.journal_ready()).await);
    pair_for(&laptop, &phone, Some(NewDevice::Mine)).await;
    assert!(eventually(30, async || phone.journal_ready()).await);
    let phone_id = phone.status().await.expect("status").device_id;
    let entry = write(&phone, "the morning we missed the ferry").await;
    for h in [&laptop, &bob] {
        assert!(
            eventually(30, async || has_all(
                h,
                &["the morning we missed the ferry"]
            )
            .await)
            .await
        );
    }

    // The phone is lost while it and the laptop are off; Bob removes it, then goes offline.
    phone.shutdown().await;
    laptop.shutdown().await;
    bob.unpair(phone_id).await.expect("remove");
    bob.shutdown().await;

    // The laptop and the phone, in a thief's hands, come on together: the laptop has not heard
    // of the removal and takes the thief's edit of Ada's entry.
    let laptop = reopen(dirs[0].path()).await;
    let phone = reopen(dirs[2].path()).await;
    phone
        .edit(&entry, hearth::Edit::Body("the thief's words".into()))
        .await
        .expect("the phone does not know yet");
    assert!(
        eventually(30, async || texts(&laptop)
            .await
            .contains(&"the thief's words".to_owned()))
        .await
    );
    phone.shutdown().await;

    // Bob's device comes back: the laptop hears of the removal, and from then on the entry reads
    // as Ada left it, on both.
    let bob = reopen(dirs[1].path()).await;
    assert!(
        eventually(60, async || laptop.status().await.expect("status").epoch
            == 1)
        .await,
        "the laptop hears of the removal"
    );
    for h in [&laptop, &bob] {
        assert!(
            eventually(30, async || {
                let texts = texts(h).await;
                texts.contains(&"the morning we missed the ferry".to_owned())
                    && !texts.contains(&"the thief's words".to_owned())
            })
            .await,
            "{:?}",
            texts(h).await
        );
    }
    // Ada writes it again on her laptop, and that is what both read.
    laptop
        .edit(
            &entry,
            hearth::Edit::Body("the morning we missed the ferry, and laughed".into()),
        )
        .await
        .expect("edit");
    assert!(
        eventually(30, async || has_all(
            &bob,
            &["the morning we missed the ferry, and laughed"]
        )
        .await)
        .await
    );
    for h in [laptop, bob] {
        h.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removals_made_at_once_on_two_devices_converge_on_one_key() {
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().expect("dir")).collect();
    let path = |i: usize| dirs[i].path();
    let laptop = create(path(0), "Ada", steady()).await;
    let bob = create(path(1), "Bob", steady()).await;
    let phone = create(path(2), "Ada", steady()).await;
    let tablet = create(path(3), "Bob", steady()).await;
    pair(&laptop, &bob).await;
    assert!(eventually(30, async || bob.journal_ready()).await);
    pair_for(&laptop, &phone, Some(NewDevice::Mine)).await;
    assert!(eventually(30, async || phone.journal_ready()).await);
    pair_for(&bob, &tablet, Some(NewDevice::Mine)).await;
    assert!(eventually(30, async || tablet.journal_ready()).await);
    // Every device knows every other, with its exchange key.
    for h in [&laptop, &bob, &phone, &tablet] {
        assert!(
            eventually(30, async || devices(&h.status().await.expect("status"))
                == 4)
            .await
        );
    }
    let id = async |h: &Hearth| h.status().await.expect("status").device_id;
    let (phone_id, tablet_id) = (id(&phone).await, id(&tablet).await);
    for h in [phone, tablet] {
        h.shutdown().await;
    }

    // Apart, each person removes a device: Ada her phone, Bob his tablet.
    bob.shutdown().await;
    laptop.unpair(phone_id).await.expect("remove the phone");
    assert_eq!(laptop.status().await.expect("status").epoch, 1);
    laptop.shutdown().await;
    let bob = reopen(path(1)).await;
    bob.unpair(tablet_id).await.expect("remove the tablet");
    assert_eq!(bob.status().await.expect("status").epoch, 1);

    // Together again: both removals hold, and the two end on one key that neither removed
    // device was given (each first key left one of them in).
    let laptop = reopen(path(0)).await;
    assert!(
        eventually(60, async || {
            let (a, b) = (
                laptop.status().await.expect("status"),
                bob.status().await.expect("status"),
            );
            a.epoch >= 2 && a.epoch == b.epoch
        })
        .await,
        "both devices end on the same, newer epoch"
    );
    for h in [&laptop, &bob] {
        let status = h.status().await.expect("status");
        assert_eq!(
            devices(&status),
            2,
            "both removed devices are gone everywhere"
        );
    }
    // The same key: opened afresh, the two sync under it.
    laptop.shutdown().await;
    bob.shutdown().await;
    let laptop = reopen(path(0)).await;
    let bob = reopen(path(1)).await;
    write(&bob, "under the one new key").await;
    laptop
        .sync_now(std::time::Duration::from_secs(30))
        .await
        .expect("the two sync under the epoch they share");
    assert!(has_all(&laptop, &["under the one new key"]).await);
    for h in [laptop, bob] {
        h.shutdown().await;
    }
}

/// Ada's laptop, Bob's device and Ada's phone, paired, each knowing the others; and their ids.
async fn laptop_bob_and_phone(dirs: &[tempfile::TempDir]) -> ([Hearth; 3], [hearth::DeviceId; 3]) {
    let laptop = create(dirs[0].path(), "Ada", steady()).await;
    let bob = create(dirs[1].path(), "Bob", steady()).await;
    let phone = create(dirs[2].path(), "Ada", steady()).await;
    pair(&laptop, &bob).await;
    assert!(eventually(30, async || bob.journal_ready()).await);
    pair_for(&laptop, &phone, Some(NewDevice::Mine)).await;
    assert!(eventually(30, async || phone.journal_ready()).await);
    for h in [&laptop, &bob, &phone] {
        assert!(
            eventually(30, async || devices(&h.status().await.expect("status"))
                == 3)
            .await
        );
    }
    let id = async |h: &Hearth| h.status().await.expect("status").device_id;
    let ids = [id(&laptop).await, id(&bob).await, id(&phone).await];
    ([laptop, bob, phone], ids)
}

async fn removed(h: &Hearth) -> bool {
    h.status().await.expect("status").removed_by.is_some()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stolen_phone_that_cut_off_the_others_is_answered_and_they_come_back() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().expect("dir")).collect();
    let ([laptop, bob, phone], [laptop_id, bob_id, phone_id]) = laptop_bob_and_phone(&dirs).await;

    // The thief, holding Ada's unlocked phone, removes her laptop and Bob's device.
    phone
        .unpair(laptop_id)
        .await
        .expect("the thief removes the laptop");
    phone
        .unpair(bob_id)
        .await
        .expect("the thief removes Bob's device");
    assert!(
        eventually(30, async || removed(&laptop).await && removed(&bob).await).await,
        "both are told they were removed"
    );
    // Removed, the laptop may do one thing: remove the device that removed it.
    assert!(matches!(
        laptop.unpair(bob_id).await,
        Err(hearth::UnpairError::RemovedHere)
    ));
    laptop
        .unpair(phone_id)
        .await
        .expect("the laptop answers the phone");

    // One removal answers two: the phone is out, and both devices are back, Bob's through the
    // laptop, though his device was removed too.
    assert!(
        eventually(30, async || !removed(&laptop).await && !removed(&bob).await).await,
        "both devices come back"
    );
    write(&bob, "we are still here").await;
    assert!(
        eventually(30, async || has_all(&laptop, &["we are still here"]).await).await,
        "the two sync again: {:#?} {:#?}",
        laptop.status().await.expect("status"),
        bob.status().await.expect("status")
    );
    for h in [&laptop, &bob] {
        let status = h.status().await.expect("status");
        assert_eq!(devices(&status), 2, "the phone is gone: {status:#?}");
    }
    // A key the phone was never given.
    assert!(
        eventually(30, async || {
            let (a, b) = (
                laptop.status().await.expect("status").epoch,
                bob.status().await.expect("status").epoch,
            );
            a >= 1 && a == b
        })
        .await
    );
    write(&laptop, "not for the thief").await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert!(!has_all(&phone, &["not for the thief"]).await);
    for h in [laptop, bob, phone] {
        h.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_that_stays_undoes_what_a_stolen_phone_did() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().expect("dir")).collect();
    let ([laptop, bob, phone], [laptop_id, bob_id, phone_id]) = laptop_bob_and_phone(&dirs).await;
    // The thief removes the laptop only; Bob removes the phone and undoes what it did.
    phone
        .unpair(laptop_id)
        .await
        .expect("the thief removes the laptop");
    assert!(eventually(30, async || removed(&laptop).await).await);
    assert!(
        eventually(30, async || !bob
            .status()
            .await
            .expect("status")
            .removed_devices
            .is_empty())
        .await,
        "Bob hears of the laptop's removal"
    );
    bob.unpair(phone_id).await.expect("Bob removes the phone");
    // Bob's status says who removed whom, and that the laptop can be brought back.
    let gone = bob.status().await.expect("status").removed_devices;
    let whom: Vec<_> = gone
        .iter()
        .map(|d| (d.id, d.removed_by, d.can_bring_back))
        .collect();
    assert_eq!(
        whom,
        vec![(laptop_id, phone_id, true), (phone_id, bob_id, false)],
        "oldest removal first"
    );
    assert!(!gone[0].mine && gone[0].owner.as_deref() == Some("Ada"));
    assert_eq!(
        bob.undo_removals_by(phone_id).await.expect("undo"),
        vec![laptop_id],
        "the laptop is brought back"
    );
    assert!(
        eventually(30, async || !removed(&laptop).await).await,
        "the laptop hears it is back"
    );
    let gone = bob.status().await.expect("status").removed_devices;
    assert_eq!(
        gone.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![phone_id],
        "only the phone stays removed"
    );
    write(&laptop, "back again").await;
    assert!(eventually(30, async || has_all(&bob, &["back again"]).await).await);
    // What a device that stays did is not undone.
    assert_eq!(
        bob.undo_removals_by(laptop_id).await.expect("nothing"),
        vec![]
    );
    for h in [laptop, bob, phone] {
        h.shutdown().await;
    }
}
