//! Where paired devices were last reached, between iroh's addresses and the store's plain form.

use hearth_net::{RelayUrl, TransportAddr};

/// Addresses as the store keeps them: a socket address (`192.0.2.1:4242`) or a relay URL each.
pub(crate) fn stored_addrs(addrs: &[TransportAddr]) -> Vec<String> {
    addrs
        .iter()
        .filter_map(|a| match a {
            TransportAddr::Ip(ip) => Some(ip.to_string()),
            TransportAddr::Relay(url) => Some(url.to_string()),
            _ => None,
        })
        .collect()
}

/// The addresses the store keeps, as iroh's; any that do not parse are left out.
pub(crate) fn known_addrs(stored: &[String]) -> Vec<TransportAddr> {
    stored
        .iter()
        .filter_map(|a| {
            if let Ok(ip) = a.parse() {
                Some(TransportAddr::Ip(ip))
            } else {
                a.parse::<RelayUrl>().ok().map(TransportAddr::Relay)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_round_trip_through_the_stores_form() {
        let addrs = vec![
            TransportAddr::Ip("192.0.2.1:4242".parse().expect("ip")),
            TransportAddr::Ip("[2001:db8::1]:4242".parse().expect("ip")),
            TransportAddr::Relay("https://relay.example.org".parse().expect("url")),
        ];
        let stored = stored_addrs(&addrs);
        assert_eq!(
            stored,
            [
                "192.0.2.1:4242",
                "[2001:db8::1]:4242",
                "https://relay.example.org/"
            ]
        );
        assert_eq!(known_addrs(&stored), addrs);
    }

    #[test]
    fn stored_addresses_that_do_not_parse_are_left_out() {
        let stored = ["not an address".to_owned(), "192.0.2.1:4242".to_owned()];
        assert_eq!(
            known_addrs(&stored),
            [TransportAddr::Ip("192.0.2.1:4242".parse().expect("ip"))]
        );
    }
}
