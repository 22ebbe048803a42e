//! Moments in time, as every part of Hearth writes them.

use std::fmt;
use std::time::{Duration, SystemTime};

/// A moment: milliseconds since the Unix epoch, UTC.
///
/// The one time type of the journal, its stamps, the network's events and the front ends. It
/// carries no time zone: a moment is shown in one with the facade's `Zone`. In the document and
/// in exports it is the plain number of milliseconds.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct UnixMs(i64);

impl UnixMs {
    /// 1970-01-01 00:00 UTC.
    pub const EPOCH: UnixMs = UnixMs(0);

    /// The moment `ms` milliseconds after the epoch (before it, if negative).
    pub const fn from_millis(ms: i64) -> Self {
        Self(ms)
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// Now, by this device's clock: the one place Hearth reads it. The journal itself never
    /// does (its operations take the time as an argument); the devices that drive it do.
    ///
    /// A clock set before 1970 reads as the epoch.
    pub fn now() -> Self {
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| Self(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)))
            .unwrap_or(Self::EPOCH)
    }

    /// `span` later, saturating at the end of time.
    pub fn plus(self, span: Duration) -> Self {
        Self(self.0.saturating_add(millis(span)))
    }

    /// `span` earlier, saturating at the beginning of time.
    pub fn minus(self, span: Duration) -> Self {
        Self(self.0.saturating_sub(millis(span)))
    }

    /// How long after `earlier` this moment is; zero if it is not after it.
    pub fn since(self, earlier: UnixMs) -> Duration {
        u64::try_from(self.0.saturating_sub(earlier.0))
            .map(Duration::from_millis)
            .unwrap_or(Duration::ZERO)
    }

    /// The moment an unsigned number of milliseconds after the epoch (as tickets write it),
    /// saturating at the end of time.
    pub fn from_unsigned_millis(ms: u64) -> Self {
        Self(i64::try_from(ms).unwrap_or(i64::MAX))
    }

    /// Milliseconds since the epoch as an unsigned number, for wire formats that write one
    /// (tickets); moments before the epoch read as 0.
    pub fn as_unsigned_millis(self) -> u64 {
        u64::try_from(self.0).unwrap_or(0)
    }
}

impl fmt::Display for UnixMs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ms", self.0)
    }
}

fn millis(span: Duration) -> i64 {
    i64::try_from(span.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_instead_of_wrapping() {
        let end = UnixMs::from_millis(i64::MAX - 1);
        assert_eq!(
            end.plus(Duration::from_secs(1)),
            UnixMs::from_millis(i64::MAX)
        );
        let start = UnixMs::from_millis(i64::MIN + 1);
        assert_eq!(
            start.minus(Duration::from_secs(1)),
            UnixMs::from_millis(i64::MIN)
        );
        assert_eq!(
            UnixMs::from_millis(1_500).since(UnixMs::from_millis(500)),
            Duration::from_secs(1)
        );
        assert_eq!(
            UnixMs::from_millis(500).since(UnixMs::from_millis(1_500)),
            Duration::ZERO
        );
        assert_eq!(UnixMs::from_millis(-3).as_unsigned_millis(), 0);
        assert_eq!(
            UnixMs::from_unsigned_millis(u64::MAX),
            UnixMs::from_millis(i64::MAX)
        );
        assert_eq!(UnixMs::from_unsigned_millis(7).as_unsigned_millis(), 7);
    }

    #[test]
    fn serialises_as_the_plain_number() {
        let json = serde_json::to_string(&UnixMs::from_millis(1_764_000_000_123)).expect("json");
        assert_eq!(json, "1764000000123");
        let back: UnixMs = serde_json::from_str(&json).expect("parse");
        assert_eq!(back.as_millis(), 1_764_000_000_123);
    }

    #[test]
    fn now_is_after_this_code_was_written() {
        assert!(UnixMs::now() > UnixMs::from_millis(1_764_000_000_000));
    }
}
