//! Equipment at a site (F4): charging points are named by their EVSE ID as ISO 15118-2 and
//! eMI3 write it: `DE*ABC*E123456*1` — a two-letter country code, a three-character operator
//! id, then `E` and the operator's own id for the point (letters, digits and `*`, up to 31).
//! The `*` separators after the country and the operator may be left out; stored ids are in
//! the canonical form, upper case, with both separators.

use std::fmt;

use crate::FieldError;
use crate::account::FieldRule;

/// A validated EVSE ID in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EvseId(String);

/// The longest point id after the `E` (ISO 15118-2: 31 characters with separators).
const MAX_POINT_ID: usize = 31;

impl EvseId {
    pub fn parse(field: &str, input: &str) -> Result<EvseId, FieldError> {
        let refuse = |why: &str| FieldError {
            rule: FieldRule::EvseId,
            field: field.to_owned(),
            message: format!(
                "an EVSE ID looks like DE*ABC*E123456*1 (country, operator, E and the point's \
                 id): {why}"
            ),
        };
        let id = input.trim().to_ascii_uppercase();
        let rest = id.as_str();
        let country = rest.get(..2).ok_or_else(|| refuse("too short"))?;
        if !country.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(refuse("it must start with a two-letter country code"));
        }
        let rest = rest[2..].strip_prefix('*').unwrap_or(&rest[2..]);
        let operator = rest
            .get(..3)
            .ok_or_else(|| refuse("the operator id is missing"))?;
        if !operator.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(refuse("the operator id is three letters or digits"));
        }
        let rest = rest[3..].strip_prefix('*').unwrap_or(&rest[3..]);
        let point = rest
            .strip_prefix('E')
            .ok_or_else(|| refuse("the point's id starts with E after the operator id"))?;
        if point.is_empty() || point.len() > MAX_POINT_ID {
            return Err(refuse("the point's id has 1 to 31 characters"));
        }
        if !point.chars().all(|c| c.is_ascii_alphanumeric() || c == '*')
            || !point.starts_with(|c: char| c.is_ascii_alphanumeric())
            || point.ends_with('*')
        {
            return Err(refuse(
                "the point's id has letters, digits and single * between them",
            ));
        }
        if point.contains("**") {
            return Err(refuse("two * in a row"));
        }
        Ok(EvseId(format!("{country}*{operator}*E{point}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EvseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ok(s: &str) -> String {
        EvseId::parse("evse_ids[0]", s).unwrap().to_string()
    }

    fn err(s: &str) -> FieldError {
        EvseId::parse("evse_ids[0]", s).unwrap_err()
    }

    #[test]
    fn the_written_forms_become_one() {
        assert_eq!(ok("DE*ABC*E123456*1"), "DE*ABC*E123456*1");
        assert_eq!(ok("de*abc*e123456*1"), "DE*ABC*E123456*1");
        assert_eq!(ok("DEABCE123456*1"), "DE*ABC*E123456*1");
        assert_eq!(ok(" AT*A1B*EXYZ "), "AT*A1B*EXYZ");
        assert_eq!(ok("IT*EFG*E1"), "IT*EFG*E1");
    }

    #[test]
    fn malformed_ids_name_their_field() {
        for bad in [
            "",
            "D",
            "1E*ABC*E1",
            "DE*AB",
            "DE*A-C*E1",
            "DE*ABC*X1",
            "DE*ABC*E",
            "DE*ABC*E*1",
            "DE*ABC*E1*",
            "DE*ABC*E1**2",
            "DE*ABC*E1 2",
            &format!("DE*ABC*E{}", "1".repeat(32)),
        ] {
            let e = err(bad);
            assert_eq!(e.rule, FieldRule::EvseId, "{bad:?}");
            assert_eq!(e.field, "evse_ids[0]");
        }
        assert_eq!(ok(&format!("DE*ABC*E{}", "1".repeat(31))).len(), 8 + 31);
    }

    proptest! {
        /// Parsing is idempotent: the canonical form parses to itself.
        #[test]
        fn canonical_forms_are_fixed_points(s in "[a-zA-Z]{2}\\*?[a-zA-Z0-9]{3}\\*?[eE][A-Z0-9]{1,10}(\\*[A-Z0-9]{1,5})?") {
            let once = ok(&s);
            prop_assert_eq!(ok(&once), once.clone());
            prop_assert!(once.chars().all(|c| !c.is_ascii_lowercase()));
        }
    }
}
