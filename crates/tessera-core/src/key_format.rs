//! The spelling of a product's imported keys (X5): a vendor moving to Tessera states, per
//! product, how the keys it already sold look, as a regular expression over the key's
//! compact form (upper case, without dashes or spaces). Seed 000's `U107-3D27-309C-F484` is
//! `U[0-9A-F]{15}`. An import refuses a key of another spelling, so a shifted column or a
//! key of the wrong product is caught before anything is written.

use std::fmt;

use regex::Regex;

use crate::ProductKey;

/// The longest pattern taken: a key format is one short expression, not a program.
pub const MAX_PATTERN_LEN: usize = 200;

/// A product's key format; matches whole compact keys only.
#[derive(Clone)]
pub struct KeyFormat {
    pattern: String,
    whole: Regex,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFormatError {
    #[error("a key format is a regular expression of 1 to {MAX_PATTERN_LEN} characters")]
    Length,
    #[error("not a regular expression: {0}")]
    Syntax(String),
}

impl KeyFormat {
    /// Compiles `pattern`, anchored at both ends and blind to case (keys are matched upper
    /// case, so `u[0-9a-f]{15}` means the same). Refused: an empty or overlong pattern and a
    /// syntax error.
    pub fn parse(pattern: &str) -> Result<Self, KeyFormatError> {
        let pattern = pattern.trim();
        if pattern.is_empty() || pattern.len() > MAX_PATTERN_LEN {
            return Err(KeyFormatError::Length);
        }
        let whole = regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
            .case_insensitive(true)
            .size_limit(1 << 16)
            .build()
            .map_err(|e| KeyFormatError::Syntax(first_line(&e.to_string())))?;
        Ok(KeyFormat {
            pattern: pattern.to_owned(),
            whole,
        })
    }

    /// The pattern as the operator wrote it (trimmed).
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Whether `key` has this spelling.
    pub fn matches(&self, key: &ProductKey) -> bool {
        self.whole.is_match(key.compact())
    }
}

fn first_line(message: &str) -> String {
    message
        .lines()
        .rfind(|l| l.starts_with("error:"))
        .unwrap_or(message)
        .trim()
        .to_owned()
}

impl fmt::Debug for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyFormat({})", self.pattern)
    }
}

impl PartialEq for KeyFormat {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> ProductKey {
        ProductKey::any_format(s).unwrap()
    }

    #[test]
    fn the_seeds_format_takes_its_keys_in_every_spelling() {
        let format = KeyFormat::parse("U[0-9A-F]{15}").unwrap();
        assert!(format.matches(&key("U107-3D27-309C-F484")));
        assert!(format.matches(&key("u1073d27309cf484")));
        assert!(!format.matches(&key("U107-3D27-309C-F48")));
        assert!(!format.matches(&key("X107-3D27-309C-F484")));
        assert!(!format.matches(&key("U107-3D27-309C-F484-0")));
        let lower = KeyFormat::parse("u[0-9a-f]{15}").unwrap();
        assert!(lower.matches(&key("U107-3D27-309C-F484")));
    }

    #[test]
    fn matches_whole_keys_only() {
        let format = KeyFormat::parse("AB|CD12").unwrap();
        assert!(format.matches(&key("CD12")));
        assert!(!format.matches(&key("ABCD12")));
    }

    #[test]
    fn refuses_bad_patterns() {
        assert_eq!(KeyFormat::parse(" "), Err(KeyFormatError::Length));
        assert_eq!(
            KeyFormat::parse(&"A".repeat(201)),
            Err(KeyFormatError::Length)
        );
        assert!(matches!(
            KeyFormat::parse("U[0-9"),
            Err(KeyFormatError::Syntax(_))
        ));
    }
}
