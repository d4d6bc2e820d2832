//! The languages Tessera writes to people in (I3): those of the seeds' customers.

use std::fmt;

use crate::FieldError;
use crate::account::FieldRule;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    En,
    De,
    It,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::En, Language::De, Language::It];

    /// The ISO 639-1 code (`en`, `de`, `it`).
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
            Language::It => "it",
        }
    }

    /// Parses a code, case-insensitively; a region suffix (`de-CH`, `it_IT`) is ignored.
    pub fn parse(field: &'static str, input: &str) -> Result<Language, FieldError> {
        let code = input.trim().split(['-', '_']).next().unwrap_or("");
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
            .ok_or_else(|| FieldError {
                rule: FieldRule::Language,
                field: field.to_owned(),
                message: format!(
                    "the language must be one of {}",
                    Language::ALL.map(Language::code).join(", ")
                ),
            })
    }

    /// The stored code read back; an unknown one (a newer version's) falls back to English.
    pub fn from_stored(code: &str) -> Language {
        Language::parse("language", code).unwrap_or_default()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_with_or_without_a_region() {
        assert_eq!(Language::parse("l", "it").unwrap(), Language::It);
        assert_eq!(Language::parse("l", " DE-ch ").unwrap(), Language::De);
        assert_eq!(Language::parse("l", "en_GB").unwrap(), Language::En);
        let err = Language::parse("language", "fr").unwrap_err();
        assert_eq!(err.rule, FieldRule::Language);
        assert_eq!(err.field, "language");
        assert!(Language::parse("l", "").is_err());
        assert_eq!(Language::from_stored("xx"), Language::En);
        for l in Language::ALL {
            assert_eq!(Language::parse("l", l.code()).unwrap(), l);
        }
    }
}
