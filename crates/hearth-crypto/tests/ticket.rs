//! Invitation tickets: text and binary forms, forgiving reading, typed errors.

use std::net::SocketAddr;

use hearth_crypto::ticket::{
    INVITATION_LIFETIME_MS, MAX_DIRECT_ADDRS, TICKET_PREFIX, TicketBuildError, TicketDecodeError,
};
use hearth_crypto::{InvitationSecret, Ticket};

const NOW: u64 = 1_760_000_000_000;

fn ticket(relay: Option<&str>, addrs: &[&str]) -> Ticket {
    Ticket::new(
        [0x5a; 32],
        relay.map(str::to_owned),
        addrs
            .iter()
            .map(|a| a.parse::<SocketAddr>().expect("test address"))
            .collect(),
        InvitationSecret::from_bytes([0xc3; 16]),
        NOW,
    )
    .expect("within limits")
}

#[test]
fn text_and_bytes_round_trip_with_every_field() {
    let t = ticket(
        Some("https://relay.example/"),
        &["192.168.1.20:4433", "[fe80::1]:9"],
    );
    assert_eq!(t.expires_at_ms(), NOW + INVITATION_LIFETIME_MS);
    assert_eq!(Ticket::from_text(&t.to_text(), NOW).expect("text"), t);
    assert_eq!(
        Ticket::from_text(&t.to_grouped_text(), NOW).expect("grouped"),
        t
    );
    assert_eq!(Ticket::from_bytes(&t.to_bytes(), NOW).expect("bytes"), t);
    let back = Ticket::from_text(&t.to_text(), NOW).expect("text");
    assert_eq!(back.relay_url(), Some("https://relay.example/"));
    assert_eq!(back.direct_addrs().len(), 2);
    assert_eq!(back.secret().expose(), &[0xc3; 16]);
    assert_eq!(back.endpoint_id(), &[0x5a; 32]);
}

#[test]
fn a_minimal_ticket_is_short_enough_to_type() {
    let t = ticket(None, &[]);
    let text = t.to_text();
    assert!(text.starts_with(TICKET_PREFIX));
    assert!(text.len() <= 110, "{} characters: {text}", text.len());
    assert!(
        text.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    );
}

#[test]
fn reading_ignores_case_spaces_dashes_and_look_alikes() {
    let t = ticket(None, &["10.0.0.7:1234"]);
    let grouped = t.to_grouped_text();
    assert!(grouped.contains('-'));
    let shouted = grouped.to_uppercase().replace('-', " ");
    assert_eq!(
        Ticket::from_text(&shouted, NOW).expect("upper case, spaces"),
        t
    );
    let body = &t.to_text()[TICKET_PREFIX.len()..];
    let confusable = format!("hearth1 {}", body.replace('1', "l").replace('0', "O"));
    assert_eq!(Ticket::from_text(&confusable, NOW).expect("look-alikes"), t);
}

#[test]
fn every_single_character_typo_is_caught_before_any_network_traffic() {
    let t = ticket(Some("https://relay.example/"), &["10.0.0.7:1234"]);
    let text = t.to_text();
    for i in TICKET_PREFIX.len()..text.len() {
        let original = text.as_bytes()[i];
        let replacement = if original == b'x' { b'y' } else { b'x' };
        let mut typo = text.clone().into_bytes();
        typo[i] = replacement;
        let typo = String::from_utf8(typo).expect("ASCII");
        let err = Ticket::from_text(&typo, NOW).expect_err("typo must be caught");
        assert!(
            matches!(
                err,
                TicketDecodeError::BadChecksum | TicketDecodeError::Truncated
            ),
            "position {i}: {err:?}"
        );
    }
}

#[test]
fn truncated_text_and_bytes_are_reported_as_truncated() {
    let t = ticket(Some("https://relay.example/"), &["10.0.0.7:1234"]);
    let text = t.to_text();
    for cut in TICKET_PREFIX.len()..text.len() {
        assert_eq!(
            Ticket::from_text(&text[..cut], NOW),
            Err(TicketDecodeError::Truncated),
            "cut at {cut}"
        );
    }
    let bytes = t.to_bytes();
    for cut in 0..bytes.len() {
        assert_eq!(
            Ticket::from_bytes(&bytes[..cut], NOW),
            Err(TicketDecodeError::Truncated),
            "cut at {cut}"
        );
    }
}

#[test]
fn expired_tickets_are_refused() {
    let t = ticket(None, &[]);
    let later = NOW + INVITATION_LIFETIME_MS;
    assert_eq!(
        Ticket::from_text(&t.to_text(), later),
        Err(TicketDecodeError::Expired {
            expired_at_ms: later,
            now_ms: later
        })
    );
    assert!(matches!(
        Ticket::from_bytes(&t.to_bytes(), later + 1),
        Err(TicketDecodeError::Expired { .. })
    ));
    assert!(Ticket::from_text(&t.to_text(), later - 1).is_ok());
}

#[test]
fn other_versions_and_garbage_are_typed_errors() {
    let t = ticket(None, &["10.0.0.7:1234"]);
    let mut bytes = t.to_bytes();
    bytes[0] = 2;
    assert_eq!(
        Ticket::from_bytes(&bytes, NOW),
        Err(TicketDecodeError::UnsupportedVersion { version: 2 })
    );
    let mut extra = t.to_bytes();
    extra.push(0);
    assert_eq!(
        Ticket::from_bytes(&extra, NOW),
        Err(TicketDecodeError::TrailingBytes { count: 1 })
    );
    let mut family = t.to_bytes();
    let at = family.len() - 7;
    family[at] = 5;
    assert_eq!(
        Ticket::from_bytes(&family, NOW),
        Err(TicketDecodeError::UnknownAddressFamily { family: 5 })
    );
    assert_eq!(
        Ticket::from_text("https://example.com", NOW),
        Err(TicketDecodeError::InvalidCharacter { character: ':' })
    );
    assert_eq!(
        Ticket::from_text("hello", NOW),
        Err(TicketDecodeError::MissingPrefix)
    );
    assert_eq!(
        Ticket::from_text("hearth1abcu", NOW),
        Err(TicketDecodeError::InvalidCharacter { character: 'u' })
    );
}

#[test]
fn building_an_oversized_ticket_is_refused() {
    let secret = InvitationSecret::from_bytes([1; 16]);
    assert_eq!(
        Ticket::new([0; 32], Some("x".repeat(256)), vec![], secret.clone(), NOW),
        Err(TicketBuildError::RelayUrlTooLong { len: 256 })
    );
    let addr: SocketAddr = "127.0.0.1:1".parse().expect("address");
    assert_eq!(
        Ticket::new([0; 32], None, vec![addr; MAX_DIRECT_ADDRS + 1], secret, NOW),
        Err(TicketBuildError::TooManyAddresses {
            count: MAX_DIRECT_ADDRS + 1
        })
    );
}

#[test]
fn ticket_debug_hides_the_secret() {
    let t = ticket(None, &[]);
    let shown = format!("{t:?}");
    assert!(shown.contains("InvitationSecret(..)"), "{shown}");
    assert!(!shown.contains("195"), "{shown}");
}
