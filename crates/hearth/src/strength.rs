//! How hard a new passphrase would be to guess, for the person choosing one: zxcvbn's estimate of
//! the guesses it would take (dictionaries of common passwords, names and words, keyboard
//! patterns, dates, repeats), in four steps. Hearth advises on all of them and refuses only the
//! passphrase that would be guessed almost at once.

/// How strong a new passphrase looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Nothing typed yet.
    #[default]
    Empty,
    /// Guessed almost at once (a common password, a name, `1234`): refused.
    TooWeak,
    /// Guessed with little effort.
    Weak,
    /// Would hold against a casual attempt; a few more words would make it much stronger.
    Fair,
    /// Hard to guess, even for someone who holds a copy of the store and a fast computer.
    Strong,
}

impl Strength {
    /// The estimate for `passphrase`, given words of the person's own that a guesser would try
    /// first (their name, their partner's).
    pub fn of(passphrase: &str, own_words: &[&str]) -> Strength {
        if passphrase.is_empty() {
            return Strength::Empty;
        }
        let mut words: Vec<&str> = own_words.to_vec();
        words.extend(["hearth", "journal"]);
        match u8::from(zxcvbn::zxcvbn(passphrase, &words).score()) {
            0 => Strength::TooWeak,
            1 => Strength::Weak,
            2 => Strength::Fair,
            _ => Strength::Strong,
        }
    }

    /// Whether a new passphrase this strong is refused.
    pub fn refused(self) -> bool {
        self <= Strength::TooWeak
    }

    /// The strength in a word.
    pub fn name(self) -> &'static str {
        match self {
            Strength::Empty => "none yet",
            Strength::TooWeak => "too easy to guess",
            Strength::Weak => "weak",
            Strength::Fair => "fair",
            Strength::Strong => "strong",
        }
    }

    /// What to tell the person choosing it.
    pub fn advice(self) -> &'static str {
        match self {
            Strength::Empty => "A few words only you two would think of make a good passphrase.",
            Strength::TooWeak => {
                "That one would be guessed almost at once. Try a short sentence of a few \
                 unrelated words."
            }
            Strength::Weak => "Still easy to guess — a longer phrase is much harder.",
            Strength::Fair => "Not bad. A word or two more would make it much stronger.",
            Strength::Strong => "Lovely and strong.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_trivially_weak_is_refused() {
        for weak in ["password", "1234", "qwerty", "aaaaaaa", "ada", "hearth"] {
            let s = Strength::of(weak, &["Ada"]);
            assert!(s.refused(), "{weak:?} is {s:?}");
        }
        for fine in [
            "a long walk by the river",
            "tea by the window at dawn",
            "correct horse battery staple",
        ] {
            let s = Strength::of(fine, &["Ada"]);
            assert_eq!(s, Strength::Strong, "{fine:?}");
        }
        assert_eq!(Strength::of("", &[]), Strength::Empty);
        assert!(Strength::Empty.refused());
        // Something in between is advised on, not refused.
        let middling = Strength::of("bluebird7", &[]);
        assert!(
            matches!(middling, Strength::Weak | Strength::Fair),
            "{middling:?}"
        );
        assert!(!middling.refused());
    }
}
