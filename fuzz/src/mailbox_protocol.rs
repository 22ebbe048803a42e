//! What a mailbox server reads from a device, and a device from a server: the messages of
//! `hearth/mailbox/1`, and a server's ticket.
//!
//! The first byte of the input, modulo 3, picks what the rest is:
//!
//! - 0: a message. One that decodes is in its one canonical form: encoding it gives back exactly
//!   the input, so no two byte strings mean the same request. Every size it declares was checked
//!   before anything was allocated for it (a declared size past its bound is refused, not
//!   trusted).
//! - 1: a ticket's binary form. One that reads writes back exactly the input, and its text form
//!   reads back as the same ticket.
//! - 2: a ticket's text form. One that reads writes back as text that reads as the same ticket.

use hearth_crypto::ticket::{MailboxTicket, SetupSecret};
use hearth_mailbox::Entry;
use hearth_mailbox::proto::{Failure, Hello, Message, Proof, Refusal};

use crate::input::{Input, Script};

const MODES: u8 = 3;

/// Runs one input.
pub fn run(data: &[u8]) {
    drive(data);
}

/// Runs one input; returns whether it went all the way: a message decoded, a ticket read.
pub fn drive(data: &[u8]) -> bool {
    let mut input = Input::new(data);
    match input.byte() % MODES {
        0 => message(input.rest()),
        1 => ticket_bytes(input.rest()),
        _ => ticket_text(input.rest()),
    }
}

fn message(bytes: &[u8]) -> bool {
    match Message::decode(bytes) {
        Ok(message) => {
            assert_eq!(
                message.encode(),
                bytes,
                "a message has one form: {message:?}"
            );
            true
        }
        Err(_) => false,
    }
}

fn ticket_bytes(bytes: &[u8]) -> bool {
    match MailboxTicket::from_bytes(bytes) {
        Ok(ticket) => {
            assert_eq!(ticket.to_bytes(), bytes, "a ticket has one binary form");
            assert_eq!(MailboxTicket::from_text(&ticket.to_text()), Ok(ticket));
            true
        }
        Err(_) => false,
    }
}

fn ticket_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    match MailboxTicket::from_text(text) {
        Ok(ticket) => {
            assert_eq!(
                MailboxTicket::from_text(&ticket.to_text()),
                Ok(ticket),
                "a ticket's text reads back"
            );
            true
        }
        Err(_) => false,
    }
}

fn ticket() -> MailboxTicket {
    MailboxTicket::new(
        [0x5e; 32],
        SetupSecret::from_bytes([0x17; 16]),
        Some("https://relay.example.net./".to_owned()),
        vec![
            "192.0.2.7:4919".parse().expect("address"),
            "[2001:db8::7]:4919".parse().expect("address"),
        ],
    )
    .expect("a ticket")
}

/// Real examples: one of each message, and a server's ticket in both forms.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let name = "5e5e5e5e5e5e5e5e/0000019a2b3c4d5e.blob".to_owned();
    let messages = [
        (
            "hello",
            Message::Hello(Hello {
                mailbox_id: [0x21; 16],
                setup: Some([0x17; 16]),
                proofs: vec![
                    Proof {
                        epoch: 0,
                        token: [0x30; 32],
                    },
                    Proof {
                        epoch: 1,
                        token: [0x31; 32],
                    },
                ],
                devices: vec![[0xa1; 32], [0xb0; 32]],
            }),
        ),
        ("list", Message::List),
        ("get", Message::Get(name.clone())),
        ("put", Message::Put(name.clone(), vec![0x77; 600])),
        ("delete", Message::Delete(name.clone())),
        ("welcome", Message::Welcome),
        ("refused", Message::Refused(Refusal::NotAllowed)),
        (
            "listing",
            Message::Listing(vec![
                Entry {
                    name: name.clone(),
                    size: 1024,
                    modified_ms: 1_764_800_000_000,
                },
                Entry {
                    name: "5e5e5e5e5e5e5e5e/state".to_owned(),
                    size: 560,
                    modified_ms: 1_764_800_000_500,
                },
            ]),
        ),
        ("file", Message::File(Some(vec![0x42; 512]))),
        ("no-file", Message::File(None)),
        ("done", Message::Done),
        ("failed", Message::Failed(Failure::QuotaFull)),
    ];
    let mut seeds: Vec<(String, Vec<u8>)> = messages
        .into_iter()
        .map(|(n, m)| {
            (
                format!("message-{n}"),
                Script::new().byte(0).raw(&m.encode()).finish(),
            )
        })
        .collect();
    seeds.push((
        "ticket-bytes".to_owned(),
        Script::new().byte(1).raw(&ticket().to_bytes()).finish(),
    ));
    seeds.push((
        "ticket-text".to_owned(),
        Script::new()
            .byte(2)
            .raw(ticket().to_text().as_bytes())
            .finish(),
    ));
    seeds
}
