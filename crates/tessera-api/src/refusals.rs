//! How the domain's refusals appear on the wire: each of `tessera-core`'s error types maps to
//! the [`ErrorCode`] the server answers it with. The matches are exhaustive, so a new kind of
//! refusal in the domain does not compile until it has its code here.

use tessera_core::account::FieldRule;
use tessera_core::cloud::EnablementRefused;
use tessera_core::key_format::KeyFormatError;
use tessera_core::key_import::LineRefusal;
use tessera_core::order::{OrderClosed, OrderRefused};
use tessera_core::payment::{PaymentRefused, SignatureError};
use tessera_core::subscription::{TrialRefused, Unusable};
use tessera_core::vat::VatError;
use tessera_core::{ActivationRefused, KeyError, LicenseRefusal, PasswordError, ProofError};

use crate::ErrorCode;

impl From<FieldRule> for ErrorCode {
    fn from(rule: FieldRule) -> Self {
        match rule {
            FieldRule::Username => ErrorCode::UsernameInvalid,
            FieldRule::Email => ErrorCode::EmailInvalid,
            FieldRule::EmailMismatch => ErrorCode::EmailMismatch,
            FieldRule::PasswordMismatch => ErrorCode::PasswordMismatch,
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
            KeyError::Length(_)
            | KeyError::Symbol(_)
            | KeyError::AnyFormatLength(_)
            | KeyError::AnyFormatSymbol(_) => ErrorCode::KeyFormatInvalid,
            KeyError::Checksum => ErrorCode::KeyChecksumInvalid,
        }
    }
}

impl From<&KeyFormatError> for ErrorCode {
    fn from(e: &KeyFormatError) -> Self {
        match e {
            KeyFormatError::Length | KeyFormatError::Syntax(_) => ErrorCode::KeyPatternInvalid,
        }
    }
}

impl From<&LineRefusal> for ErrorCode {
    fn from(e: &LineRefusal) -> Self {
        match e {
            LineRefusal::Key(key) => key.into(),
            LineRefusal::Code { .. } => ErrorCode::InvalidCode,
            LineRefusal::Customer(field) => field.rule.into(),
            LineRefusal::SiteName => ErrorCode::SiteNameInvalid,
            LineRefusal::SiteWithoutCustomer => ErrorCode::SiteWithoutCustomer,
            LineRefusal::Repeated(_) => ErrorCode::KeyRepeated,
            LineRefusal::ProductUnknown(_) => ErrorCode::ProductNotFound,
            LineRefusal::EditionUnknown(_) => ErrorCode::EditionNotFound,
            LineRefusal::SizeUnknown(_) => ErrorCode::SizeNotFound,
            LineRefusal::FormatMismatch(_) | LineRefusal::NoFormat => ErrorCode::KeyFormatMismatch,
            LineRefusal::CustomerUnknown(_) => ErrorCode::AccountNotFound,
            LineRefusal::Exists(_) => ErrorCode::KeyExists,
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

impl From<Unusable> for ErrorCode {
    fn from(why: Unusable) -> Self {
        match why {
            Unusable::Expired => ErrorCode::SubscriptionExpired,
            Unusable::Maintenance => ErrorCode::SubscriptionMaintenance,
            Unusable::Blocked => ErrorCode::SubscriptionBlocked,
            Unusable::Deleted => ErrorCode::SubscriptionDeleted,
        }
    }
}

/// A site's own license refusing it cloud access.
impl From<LicenseRefusal> for ErrorCode {
    fn from(why: LicenseRefusal) -> Self {
        match why {
            LicenseRefusal::Revoked => ErrorCode::LicenseRevoked,
            LicenseRefusal::Suspended => ErrorCode::LicenseSuspended,
            LicenseRefusal::NotActive => ErrorCode::LicenseNotActive,
            LicenseRefusal::Expired => ErrorCode::LicenseExpired,
        }
    }
}

impl From<&ActivationRefused> for ErrorCode {
    fn from(e: &ActivationRefused) -> Self {
        match e {
            ActivationRefused::AlreadyActivated => ErrorCode::KeyAlreadyActivated,
            ActivationRefused::TransfersExhausted => ErrorCode::TransferLimitReached,
            ActivationRefused::Suspended => ErrorCode::SiteSuspended,
            ActivationRefused::BoundByFile => ErrorCode::LicensedByFile,
        }
    }
}

impl From<&TrialRefused> for ErrorCode {
    fn from(e: &TrialRefused) -> Self {
        match e {
            TrialRefused::NoTrial => ErrorCode::PlanHasNoTrial,
            TrialRefused::Used => ErrorCode::TrialUsed,
            TrialRefused::AfterPurchase => ErrorCode::TrialAfterPurchase,
        }
    }
}

impl From<&OrderRefused> for ErrorCode {
    fn from(e: &OrderRefused) -> Self {
        match e {
            OrderRefused::Unusable(why) => (*why).into(),
            OrderRefused::RenewalPending(_) => ErrorCode::RenewalPending,
            OrderRefused::PlanMismatch { .. } => ErrorCode::PlanMismatch,
            OrderRefused::KeepUnknownSite(_) => ErrorCode::KeepUnknownSite,
            OrderRefused::KeepExceedsQuantity { .. } => ErrorCode::KeepExceedsQuantity,
        }
    }
}

impl From<&OrderClosed> for ErrorCode {
    fn from(e: &OrderClosed) -> Self {
        match e {
            OrderClosed::Paid => ErrorCode::OrderAlreadyPaid,
            OrderClosed::Cancelled => ErrorCode::OrderCancelled,
            OrderClosed::Expired(_) => ErrorCode::OrderExpired,
        }
    }
}

impl From<&PaymentRefused> for ErrorCode {
    fn from(e: &PaymentRefused) -> Self {
        match e {
            PaymentRefused::PaymentIdReused => ErrorCode::PaymentIdReused,
            PaymentRefused::Closed(closed) => closed.into(),
            PaymentRefused::AmountMismatch { .. } => ErrorCode::AmountMismatch,
            PaymentRefused::Unusable(why) => (*why).into(),
            PaymentRefused::RenewalPending => ErrorCode::RenewalPending,
        }
    }
}

impl From<&EnablementRefused> for ErrorCode {
    fn from(e: &EnablementRefused) -> Self {
        match e {
            EnablementRefused::Unusable(why) => (*why).into(),
            EnablementRefused::Empty => ErrorCode::NoSitesSelected,
            EnablementRefused::AlreadyEnabled(_) => ErrorCode::SiteAlreadyEnabled,
            // The seed's words: a site must be "registered and activated on the client";
            // one whose license is not in force is not, whatever the reason.
            EnablementRefused::LicenseNotInForce { .. } => ErrorCode::SiteNotActive,
            EnablementRefused::NotInPlan { .. } => ErrorCode::PlanMismatch,
            EnablementRefused::EditionMismatch { .. } => ErrorCode::EditionMismatch,
            EnablementRefused::SeatsExceeded { .. } => ErrorCode::SeatsExceeded,
            EnablementRefused::EmailMissing(_) => ErrorCode::SiteEmailMissing,
        }
    }
}

impl From<&tessera_core::sync::ChangeRefused> for ErrorCode {
    fn from(e: &tessera_core::sync::ChangeRefused) -> Self {
        use tessera_core::sync::ChangeRefused;
        match e {
            ChangeRefused::RequiredMissing(_) => ErrorCode::RequiredFieldMissing,
            ChangeRefused::UniqueTaken { .. } => ErrorCode::UniqueValueTaken,
            ChangeRefused::BaseVersionUnknown { .. } => ErrorCode::BaseVersionUnknown,
        }
    }
}

impl From<&tessera_core::sync::CollectionError> for ErrorCode {
    fn from(e: &tessera_core::sync::CollectionError) -> Self {
        use tessera_core::sync::CollectionError;
        match e {
            CollectionError::Name
            | CollectionError::Scope
            | CollectionError::FieldName(_)
            | CollectionError::Repeated(_)
            | CollectionError::TooMany
            | CollectionError::WebUserWithoutName => ErrorCode::CollectionInvalid,
            CollectionError::InUse(_) => ErrorCode::CollectionInUse,
        }
    }
}

impl From<&tessera_core::sync::collection::RecordError> for ErrorCode {
    fn from(e: &tessera_core::sync::collection::RecordError) -> Self {
        use tessera_core::sync::collection::RecordError;
        match e {
            RecordError::Id | RecordError::NotObject | RecordError::TooLarge => {
                ErrorCode::RecordInvalid
            }
        }
    }
}

impl From<&tessera_core::sync::AnotherSiteSyncing> for ErrorCode {
    fn from(_: &tessera_core::sync::AnotherSiteSyncing) -> Self {
        ErrorCode::AnotherSiteSyncing
    }
}

impl From<&tessera_core::sync::LeaseLost> for ErrorCode {
    fn from(_: &tessera_core::sync::LeaseLost) -> Self {
        ErrorCode::SyncLeaseLost
    }
}

impl From<&tessera_core::sync::ClockMismatch> for ErrorCode {
    fn from(_: &tessera_core::sync::ClockMismatch) -> Self {
        ErrorCode::ClockMismatch
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

    #[test]
    fn each_unusable_state_has_its_code() {
        use tessera_core::subscription::SubscriptionState;
        let codes: Vec<_> = SubscriptionState::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str(),
                    s.usable().err().map(|why| ErrorCode::from(why).as_str()),
                )
            })
            .collect();
        assert_eq!(
            codes,
            [
                ("trialing", None),
                ("active", None),
                ("expired", Some("SUBSCRIPTION_EXPIRED")),
                ("maintenance", Some("SUBSCRIPTION_MAINTENANCE")),
                ("blocked", Some("SUBSCRIPTION_BLOCKED")),
                ("deleted", Some("SUBSCRIPTION_DELETED")),
            ]
        );
    }
}
