//! Customer accounts (B1–B3): the rules a registration must meet. Each check names the field
//! it refers to, so the API can point the user at it.

use std::fmt;

/// A rule a registration or profile field broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// Which rule it broke (the API answers each with its own code, `EMAIL_MISMATCH`).
    pub rule: FieldRule,
    /// The field as the API names it (`company.vat_number`).
    pub field: String,
    pub message: String,
}

/// The rules a field can break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRule {
    Username,
    Email,
    /// The email typed twice differs.
    EmailMismatch,
    /// The password typed twice differs.
    PasswordMismatch,
    Required,
    TooLong,
    /// Characters a text may not hold.
    Invalid,
    Phone,
    Country,
    Language,
    EvseId,
}

impl FieldError {
    pub fn new(rule: FieldRule, field: &str, message: impl fmt::Display) -> Self {
        FieldError {
            rule,
            field: field.to_owned(),
            message: message.to_string(),
        }
    }
}

/// A sign-in name: 3–64 of a-z, 0-9, '.', '_', '-', kept lower case (so "Jack" and "jack"
/// are one user).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let s = s.trim().to_ascii_lowercase();
        let ok = (3..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if !ok {
            return Err(FieldError::new(
                FieldRule::Username,
                field,
                "3 to 64 characters: letters, digits, '.', '_' or '-'",
            ));
        }
        Ok(Username(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, kept lower case so one address cannot register twice by case.
/// Deliberately shallow: one '@', a local part, a dotted domain, no spaces; whether it
/// receives mail is what the confirmation email shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let s = s.trim().to_lowercase();
        let ok = s.len() <= 254
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && match s.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if !ok {
            return Err(FieldError::new(
                FieldRule::Email,
                field,
                "not an email address",
            ));
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The email typed twice must match (compared as parsed: case and spaces do not count).
pub fn confirm_email(field: &str, email: &Email, again: &str) -> Result<(), FieldError> {
    match Email::parse(field, again) {
        Ok(e) if e == *email => Ok(()),
        _ => Err(FieldError::new(
            FieldRule::EmailMismatch,
            field,
            "the two email addresses differ",
        )),
    }
}

/// The password typed twice must match exactly: unlike an email, a space or a letter's case
/// is part of a password.
pub fn confirm_password(field: &str, password: &str, again: &str) -> Result<(), FieldError> {
    if password == again {
        Ok(())
    } else {
        Err(FieldError::new(
            FieldRule::PasswordMismatch,
            field,
            "the two passwords differ",
        ))
    }
}

/// A required free-text field: trimmed, not empty, at most `max` characters, no control
/// characters.
pub fn required_text(field: &str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(FieldError::new(FieldRule::Required, field, "required"));
    }
    optional_text(field, t, max).map(|v| v.unwrap_or_default())
}

/// An optional free-text field: empty becomes None; otherwise as [`required_text`].
pub fn optional_text(field: &str, s: &str, max: usize) -> Result<Option<String>, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > max {
        return Err(FieldError::new(
            FieldRule::TooLong,
            field,
            format!("at most {max} characters"),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(FieldError::new(
            FieldRule::Invalid,
            field,
            "control characters are not allowed",
        ));
    }
    Ok(Some(t.to_owned()))
}

/// A phone number: 5–30 characters of digits, spaces, '+', '-', '/', '(' and ')', with at
/// least 5 digits.
pub fn phone(field: &str, s: &str) -> Result<String, FieldError> {
    let t = required_text(field, s, 30)?;
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    if digits < 5
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b" +-/()".contains(&b))
    {
        return Err(FieldError::new(
            FieldRule::Phone,
            field,
            "digits, spaces and + - / ( ) only, at least 5 digits",
        ));
    }
    Ok(t)
}

/// An optional phone (or fax) number: absent or blank is None, otherwise as [`phone`].
pub fn optional_phone(field: &str, s: Option<&str>) -> Result<Option<String>, FieldError> {
    match s.map(str::trim) {
        Some(t) if !t.is_empty() => phone(field, t).map(Some),
        _ => Ok(None),
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case.
pub fn country(field: &str, s: &str) -> Result<String, FieldError> {
    let t = s.trim().to_ascii_uppercase();
    if t.len() != 2 || !t.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(FieldError::new(
            FieldRule::Country,
            field,
            "an ISO 3166-1 two-letter country code, such as IT or DE",
        ));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_fold_case_and_refuse_odd_characters() {
        assert_eq!(
            Username::parse("u", " Jack.White ").unwrap().as_str(),
            "jack.white"
        );
        for bad in ["ab", "jack white", "jäck", &"a".repeat(65), "a@b"] {
            assert_eq!(
                Username::parse("u", bad).unwrap_err().rule,
                FieldRule::Username,
                "{bad}"
            );
        }
    }

    #[test]
    fn emails_are_shallowly_checked_and_confirmed_case_blind() {
        let e = Email::parse("email", "Jack@Example.COM").unwrap();
        assert_eq!(e.as_str(), "jack@example.com");
        assert!(confirm_email("email_confirm", &e, " jack@example.com ").is_ok());
        assert_eq!(
            confirm_email("email_confirm", &e, "jack@example.org")
                .unwrap_err()
                .rule,
            FieldRule::EmailMismatch
        );
        for bad in [
            "jack",
            "jack@",
            "@x.com",
            "jack@localhost",
            "a b@x.com",
            "a@x..com",
            "a@@x.com",
        ] {
            assert_eq!(
                Email::parse("email", bad).unwrap_err().rule,
                FieldRule::Email,
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_are_confirmed_exactly() {
        assert!(confirm_password("p", "secret words", "secret words").is_ok());
        for other in ["Secret words", "secret words ", ""] {
            let e = confirm_password("password_confirm", "secret words", other).unwrap_err();
            assert_eq!(
                (e.rule, e.field.as_str()),
                (FieldRule::PasswordMismatch, "password_confirm")
            );
        }
    }

    #[test]
    fn text_phone_and_country_rules() {
        assert_eq!(required_text("f", "  x ", 5).unwrap(), "x");
        assert_eq!(
            required_text("f", "   ", 5).unwrap_err().rule,
            FieldRule::Required
        );
        assert_eq!(
            required_text("f", "abcdef", 5).unwrap_err().rule,
            FieldRule::TooLong
        );
        assert_eq!(
            required_text("f", "a\u{7}b", 5).unwrap_err().rule,
            FieldRule::Invalid
        );
        assert_eq!(optional_text("f", " ", 5).unwrap(), None);
        assert_eq!(phone("p", "0039 348 96666").unwrap(), "0039 348 96666");
        assert_eq!(phone("p", "call me").unwrap_err().rule, FieldRule::Phone);
        assert_eq!(phone("p", "+1 2").unwrap_err().rule, FieldRule::Phone);
        assert_eq!(optional_phone("f", Some("  ")).unwrap(), None);
        assert_eq!(optional_phone("f", None).unwrap(), None);
        assert_eq!(
            optional_phone("f", Some("001 12345")).unwrap().as_deref(),
            Some("001 12345")
        );
        assert_eq!(
            optional_phone("f", Some("fax me")).unwrap_err().rule,
            FieldRule::Phone
        );
        assert_eq!(country("c", "it").unwrap(), "IT");
        assert_eq!(country("c", "ITA").unwrap_err().rule, FieldRule::Country);
    }
}
