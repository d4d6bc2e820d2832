//! How the domain's refusals appear on the wire: each of `tessera-core`'s error types maps to
//! the [`ErrorCode`] the server answers it with. The matches are exhaustive, so a new kind of
//! refusal in the domain does not compile until it has its code here.

use tessera_core::account::FieldRule;
use tessera_core::payment::SignatureError;
use tessera_core::vat::VatError;
use tessera_core::{KeyError, PasswordError, ProofError};

use crate::ErrorCode;

impl From<FieldRule> for ErrorCode {
    fn from(rule: FieldRule) -> Self {
        match rule {
            FieldRule::Username => ErrorCode::UsernameInvalid,
            FieldRule::Email => ErrorCode::EmailInvalid,
            FieldRule::EmailMismatch => ErrorCode::EmailMismatch,
            FieldRule::Required => ErrorCode::FieldRequired,
            FieldRule::TooLong => ErrorCode::FieldTooLong,
            FieldRule::Invalid => ErrorCode::FieldInvalid,
            FieldRule::Phone => ErrorCode::PhoneInvalid,
            FieldRule::Country => ErrorCode::CountryInvalid,
            FieldRule::Language => ErrorCode::LanguageUnsupported,
            FieldRule::EvseId => ErrorCode::EvseIdInvalid,
        }
    }
}

impl From<&KeyError> for ErrorCode {
    fn from(e: &KeyError) -> Self {
        match e {
            KeyError::Length(_) | KeyError::Symbol(_) => ErrorCode::KeyFormatInvalid,
            KeyError::Checksum => ErrorCode::KeyChecksumInvalid,
        }
    }
}

impl From<&VatError> for ErrorCode {
    fn from(e: &VatError) -> Self {
        match e {
            VatError::UnsupportedCountry => ErrorCode::VatCountryUnsupported,
            VatError::Format { .. } | VatError::Checksum => ErrorCode::VatNumberInvalid,
            VatError::CountryMismatch => ErrorCode::VatCountryMismatch,
        }
    }
}

impl From<&ProofError> for ErrorCode {
    fn from(e: &ProofError) -> Self {
        match e {
            ProofError::Fingerprint => ErrorCode::FingerprintInvalid,
            ProofError::Nonce => ErrorCode::NonceInvalid,
        }
    }
}

impl From<&SignatureError> for ErrorCode {
    fn from(e: &SignatureError) -> Self {
        match e {
            SignatureError::Malformed => ErrorCode::SignatureMalformed,
            SignatureError::Stale => ErrorCode::SignatureStale,
            SignatureError::Invalid => ErrorCode::SignatureInvalid,
        }
    }
}

impl From<&PasswordError> for ErrorCode {
    fn from(e: &PasswordError) -> Self {
        match e {
            PasswordError::TooShort => ErrorCode::PasswordTooShort,
            PasswordError::TooLong => ErrorCode::PasswordTooLong,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_format_and_check_digit_share_a_code() {
        let format = tessera_core::vat::check_vat("IT", "123").unwrap_err();
        assert_eq!(ErrorCode::from(&format), ErrorCode::VatNumberInvalid);
        assert_eq!(
            ErrorCode::from(&VatError::Checksum),
            ErrorCode::VatNumberInvalid
        );
        assert_eq!(
            ErrorCode::from(&VatError::CountryMismatch).as_str(),
            "VAT_COUNTRY_MISMATCH"
        );
        assert_eq!(
            ErrorCode::from(&VatError::UnsupportedCountry).as_str(),
            "VAT_COUNTRY_UNSUPPORTED"
        );
    }

    #[test]
    fn mistyped_keys_are_told_apart_from_malformed_ones() {
        let checksum = tessera_core::ProductKey::parse("U7A3-3D27-H9WC-F485").unwrap_err();
        assert_eq!(ErrorCode::from(&checksum).as_str(), "KEY_CHECKSUM_INVALID");
        let short = tessera_core::ProductKey::parse("U7A3").unwrap_err();
        assert_eq!(ErrorCode::from(&short).as_str(), "KEY_FORMAT_INVALID");
    }
}
