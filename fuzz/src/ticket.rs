//! The pairing ticket, read from bytes (a QR code) and from text (typed by a person).
//!
//! Any input is tried both ways. Whatever decodes must round-trip: the binary form is strict, so a
//! ticket that decodes re-encodes to exactly the input; the text form is forgiving, so its ticket
//! must survive `to_text` and `to_grouped_text` and read back equal.

use std::net::SocketAddr;

use hearth_crypto::{InvitationSecret, Ticket};

/// The clock the harness reads tickets at: before most expiries, so decoding goes all the way.
const NOW_MS: u64 = 1_000;

/// Runs one input.
pub fn run(data: &[u8]) {
    if let Ok(ticket) = Ticket::from_bytes(data, NOW_MS) {
        assert_eq!(
            ticket.to_bytes(),
            data,
            "a decoded ticket re-encodes exactly"
        );
        check_text_round_trip(&ticket);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(ticket) = Ticket::from_text(text, NOW_MS)
    {
        check_text_round_trip(&ticket);
    }
}

fn check_text_round_trip(ticket: &Ticket) {
    for text in [ticket.to_text(), ticket.to_grouped_text()] {
        let back = Ticket::from_text(&text, NOW_MS).expect("a ticket's own text reads back");
        assert_eq!(&back, ticket);
    }
    let upper = ticket.to_grouped_text().to_uppercase();
    assert_eq!(
        Ticket::from_text(&upper, NOW_MS).as_ref(),
        Ok(ticket),
        "case is ignored"
    );
}

/// Real tickets, as bytes and as text.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let addrs: Vec<SocketAddr> = vec![
        "192.168.1.20:41000".parse().expect("a socket address"),
        "[fe80::1]:41001".parse().expect("a socket address"),
    ];
    let tickets = [
        ("bare", None, vec![]),
        (
            "relay",
            Some("https://relay.example.net./".to_owned()),
            vec![],
        ),
        ("addrs", None, addrs.clone()),
        ("full", Some("https://r.example./".to_owned()), addrs),
    ];
    let mut seeds = Vec::new();
    for (name, relay, addrs) in tickets {
        let ticket = Ticket::with_expiry(
            [0x5a; 32],
            relay,
            addrs,
            InvitationSecret::from_bytes([0xc3; 16]),
            NOW_MS + 600_000,
        )
        .expect("seed tickets are within the limits");
        seeds.push((format!("{name}-bytes"), ticket.to_bytes()));
        seeds.push((format!("{name}-text"), ticket.to_text().into_bytes()));
        seeds.push((
            format!("{name}-grouped"),
            ticket.to_grouped_text().into_bytes(),
        ));
    }
    seeds
}
