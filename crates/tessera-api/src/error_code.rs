//! Every error code the server answers with, in one place: its name on the wire, its HTTP
//! status and its default message. A refusal carries one of these; adding a code is one line
//! in the table below, and nothing else can make one up. docs/api.md lists the same codes by
//! status, and a test keeps the two equal.

use std::fmt;
use std::str::FromStr;

/// Defines [`ErrorCode`] from a table of `Variant = "WIRE_NAME", status, "default message";`.
macro_rules! error_codes {
    ($($variant:ident = $name:literal, $status:literal, $message:literal;)+) => {
        /// A stable, machine-readable error code (the `code` of every error body).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $($variant,)+
        }

        impl ErrorCode {
            /// Every code, in the table's order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as it appears on the wire (`KEY_CHECKSUM_INVALID`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)+
                }
            }

            /// The HTTP status the code is answered with. One exception, by design: a
            /// site's cloud access refused for the state of its subscription answers 403
            /// with that state's code (`SUBSCRIPTION_EXPIRED`…), which is 409 when it
            /// refuses an action such as an order.
            pub fn status(self) -> u16 {
                match self {
                    $(ErrorCode::$variant => $status,)+
                }
            }

            /// What the code means, for people, when the refusal has nothing more precise
            /// to say.
            pub fn message(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $message,)+
                }
            }
        }
    };
}

error_codes! {
    // 400
    MalformedJson = "MALFORMED_JSON", 400, "the body is not JSON";
    // 401
    Unauthenticated = "UNAUTHENTICATED", 401, "authentication required";
    CloudCodesInvalid = "CLOUD_CODES_INVALID", 401, "the activation code or site code is wrong";
    SignatureMalformed = "SIGNATURE_MALFORMED", 401, "the signature header is malformed";
    SignatureStale = "SIGNATURE_STALE", 401, "the signature's time is too far from the server's clock";
    SignatureInvalid = "SIGNATURE_INVALID", 401, "the signature does not match the body";
    // 403
    RightRequired = "RIGHT_REQUIRED", 403, "this needs a right the user does not hold";
    SuperadminRequired = "SUPERADMIN_REQUIRED", 403, "only the account's superadmin may do this";
    CrossSiteRequest = "CROSS_SITE_REQUEST", 403, "this page request came from another site or without the page's security token; reload the page and try again";
    CloudNotEnabled = "CLOUD_NOT_ENABLED", 403, "the site is not enabled for the cloud";
    CloudLicenseMismatch = "CLOUD_LICENSE_MISMATCH", 403, "cloud disabled: license mismatch (the key now has another edition or size than the subscription)";
    LicenseRevoked = "LICENSE_REVOKED", 403, "the site's product key is revoked";
    LicenseSuspended = "LICENSE_SUSPENDED", 403, "the site's license is suspended";
    LicenseNotActive = "LICENSE_NOT_ACTIVE", 403, "the site is not activated on a machine";
    LicenseExpired = "LICENSE_EXPIRED", 403, "the site's license has expired";
    UpdateRequired = "UPDATE_REQUIRED", 403, "this version of the program is below the one the product needs for this";
    UserDisabled = "USER_DISABLED", 403, "this user is disabled; the account's administrator can enable it again";
    // 404
    RouteNotFound = "ROUTE_NOT_FOUND", 404, "no such route";
    NotFound = "NOT_FOUND", 404, "no such thing";
    ProductNotFound = "PRODUCT_NOT_FOUND", 404, "no such product";
    ReleaseNotFound = "RELEASE_NOT_FOUND", 404, "the product has no release of this version";
    WebhookNotFound = "WEBHOOK_NOT_FOUND", 404, "no such webhook endpoint";
    WebhookDeliveryNotFound = "WEBHOOK_DELIVERY_NOT_FOUND", 404, "no such webhook delivery";
    EditionNotFound = "EDITION_NOT_FOUND", 404, "no such edition";
    SizeNotFound = "SIZE_NOT_FOUND", 404, "no such size";
    BatchNotFound = "BATCH_NOT_FOUND", 404, "no such batch";
    KeyNotFound = "KEY_NOT_FOUND", 404, "no such key";
    AccountNotFound = "ACCOUNT_NOT_FOUND", 404, "no such account";
    SiteNotFound = "SITE_NOT_FOUND", 404, "no such site";
    InstallationNotFound = "INSTALLATION_NOT_FOUND", 404, "no such installation";
    SigningKeyNotFound = "SIGNING_KEY_NOT_FOUND", 404, "no such signing key";
    ServiceNotFound = "SERVICE_NOT_FOUND", 404, "no such service";
    GroupNotFound = "GROUP_NOT_FOUND", 404, "no such group";
    UserNotFound = "USER_NOT_FOUND", 404, "no such user";
    PlanNotFound = "PLAN_NOT_FOUND", 404, "no such plan";
    SubscriptionNotFound = "SUBSCRIPTION_NOT_FOUND", 404, "no such subscription";
    OrderNotFound = "ORDER_NOT_FOUND", 404, "no such order";
    InvoiceNotFound = "INVOICE_NOT_FOUND", 404, "no such invoice";
    ContactNotFound = "CONTACT_NOT_FOUND", 404, "no such contact";
    CollectionNotFound = "COLLECTION_NOT_FOUND", 404, "the product declares no such sync collection";
    ConflictNotFound = "CONFLICT_NOT_FOUND", 404, "no such conflict";
    // 409
    ProductExists = "PRODUCT_EXISTS", 409, "a product with this code exists";
    EditionExists = "EDITION_EXISTS", 409, "the product has an edition with this code";
    SizeExists = "SIZE_EXISTS", 409, "the product has a size tier with this code";
    ModuleExists = "MODULE_EXISTS", 409, "the product has a module with this code";
    BatchFull = "BATCH_FULL", 409, "the batch already holds the keys it was ordered with";
    KeyAlreadyRevoked = "KEY_ALREADY_REVOKED", 409, "the key is already revoked";
    EditionUnchanged = "EDITION_UNCHANGED", 409, "the key already has this edition";
    UsernameTaken = "USERNAME_TAKEN", 409, "this username is taken";
    TooManyContacts = "TOO_MANY_CONTACTS", 409, "the account has as many contacts as it may";
    EmailTaken = "EMAIL_TAKEN", 409, "an account with this email exists";
    VatNumberTaken = "VAT_NUMBER_TAKEN", 409, "an account with this VAT number exists";
    KeyAlreadyActivated = "KEY_ALREADY_ACTIVATED", 409, "the key is activated on another machine; deactivate it there first";
    TransferLimitReached = "TRANSFER_LIMIT_REACHED", 409, "the key has used all the machine transfers its product allows";
    LicensedByFile = "LICENSED_BY_FILE", 409, "the installation is bound by file to a machine that does not check online and would keep running: the vendor must release it first, then it can be activated elsewhere";
    InstallationChoiceRequired = "INSTALLATION_CHOICE_REQUIRED", 409, "the account has several installations of this product; choose one";
    SiteSuspended = "SITE_SUSPENDED", 409, "the installation is suspended; contact the vendor";
    SiteNotActive = "SITE_NOT_ACTIVE", 409, "the installation is not bound to a machine";
    SiteAlreadySuspended = "SITE_ALREADY_SUSPENDED", 409, "the installation is already suspended";
    SiteNotSuspended = "SITE_NOT_SUSPENDED", 409, "the installation is not suspended";
    SigningKeyActive = "SIGNING_KEY_ACTIVE", 409, "the signing key signs new documents; rotate first";
    SigningKeyRetired = "SIGNING_KEY_RETIRED", 409, "the signing key is already retired";
    ServiceExists = "SERVICE_EXISTS", 409, "a service with this code exists";
    ServiceAlreadyOn = "SERVICE_ALREADY_ON", 409, "the service is already on at this installation";
    ServiceNotOn = "SERVICE_NOT_ON", 409, "the service is not on at this installation";
    EvseIdTaken = "EVSE_ID_TAKEN", 409, "another installation lists one of these charging points";
    GroupExists = "GROUP_EXISTS", 409, "the account has a group with this name";
    PlanExists = "PLAN_EXISTS", 409, "a plan with this code exists";
    ReleaseExists = "RELEASE_EXISTS", 409, "this version of the product is published already";
    KeyExists = "KEY_EXISTS", 409, "the key exists already with another product, edition, size or account";
    PlanCoversNothing = "PLAN_COVERS_NOTHING", 409, "a plan covers at least one edition and size";
    PlanHasNoTrial = "PLAN_HAS_NO_TRIAL", 409, "this plan has no free trial";
    PlanMismatch = "PLAN_MISMATCH", 409, "the plan does not cover this edition and size";
    TrialUsed = "TRIAL_USED", 409, "the account has used its free trial; it is given once";
    TrialAfterPurchase = "TRIAL_AFTER_PURCHASE", 409, "the account has bought the service; the free trial is over";
    SubscriptionExpired = "SUBSCRIPTION_EXPIRED", 409, "the subscription has expired; renew it to go on";
    SubscriptionMaintenance = "SUBSCRIPTION_MAINTENANCE", 409, "the subscription is under maintenance";
    SubscriptionBlocked = "SUBSCRIPTION_BLOCKED", 409, "the subscription is blocked; contact the vendor";
    SubscriptionDeleted = "SUBSCRIPTION_DELETED", 409, "the subscription was deleted";
    EditionMismatch = "EDITION_MISMATCH", 409, "the site's edition or size is not the subscription's";
    SeatsExceeded = "SEATS_EXCEEDED", 409, "the subscription has no seat left for these sites";
    SiteAlreadyEnabled = "SITE_ALREADY_ENABLED", 409, "the site is already enabled";
    SiteEmailMissing = "SITE_EMAIL_MISSING", 409, "the site has no representative email yet: its client sends it with the site data";
    NoSitesSelected = "NO_SITES_SELECTED", 409, "no site was selected";
    SiteLockedUntilRenewal = "SITE_LOCKED_UNTIL_RENEWAL", 409, "an enabled site stays enabled until the renewal; drop it when you renew";
    KeepUnknownSite = "KEEP_UNKNOWN_SITE", 409, "a site to keep is not enabled in this subscription";
    KeepExceedsQuantity = "KEEP_EXCEEDS_QUANTITY", 409, "more sites kept than bought";
    RenewalPending = "RENEWAL_PENDING", 409, "a renewal is paid already and has not started yet";
    OrderAlreadyPaid = "ORDER_ALREADY_PAID", 409, "the order is already paid";
    OrderCancelled = "ORDER_CANCELLED", 409, "the order was cancelled";
    OrderExpired = "ORDER_EXPIRED", 409, "the order was not paid in time and has expired; place a new one";
    PaymentIdReused = "PAYMENT_ID_REUSED", 409, "this payment id was recorded for another order";
    AmountMismatch = "AMOUNT_MISMATCH", 409, "the payment's amount or currency is not the order's";
    AnotherSiteSyncing = "ANOTHER_SITE_SYNCING", 409, "another site of the account is running its first sync; retry later";
    FirstSyncRequired = "FIRST_SYNC_REQUIRED", 409, "this site has not run its first sync: start it with POST /api/v1/cloud/sync/first-sync/start";
    SyncLeaseLost = "SYNC_LEASE_LOST", 409, "this site's first-sync lease ran out or was taken by another site; start the first sync again";
    ClockMismatch = "CLOCK_MISMATCH", 409, "clock mismatch: this computer's clock differs from the server's by more than 5 minutes; set an NTP server";
    BatchIdReused = "BATCH_ID_REUSED", 409, "this batch id was used for a batch with other changes";
    UniqueValueTaken = "UNIQUE_VALUE_TAKEN", 409, "another record holds this unique value";
    BaseVersionUnknown = "BASE_VERSION_UNKNOWN", 409, "the change is based on a version the cloud never gave this record";
    CollectionInUse = "COLLECTION_IN_USE", 409, "the collection holds records: its scope and unique fields can no longer change";
    ConflictResolved = "CONFLICT_RESOLVED", 409, "the conflict is already settled";
    NotAWebUser = "NOT_A_WEB_USER", 409, "the user was not made from synced data: it has no invitation; its password is set when it is added";
    OfflineNotAllowed = "OFFLINE_NOT_ALLOWED", 409, "the product does not offer activation by file; the site must activate online";
    OfflineRequestUsed = "OFFLINE_REQUEST_USED", 409, "this request file was answered for another machine; write a new request on the machine to activate";
    OfflineSiteNotActive = "OFFLINE_SITE_NOT_ACTIVE", 409, "no installation of this key is activated on the requesting machine; send an activation request instead";
    MachineKeyUnknown = "MACHINE_KEY_UNKNOWN", 409, "the machine named no key when it was activated by file, so its deactivation cannot be checked; only the vendor can release this installation";
    // 408
    RequestTimeout = "REQUEST_TIMEOUT", 408, "the request did not arrive within the request timeout";
    // 413, 415
    BodyTooLarge = "BODY_TOO_LARGE", 413, "the request body is too large";
    UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE", 415, "send the body as JSON with Content-Type: application/json";
    // 422
    JobUnknown = "JOB_UNKNOWN", 404, "no such job";
    JobBusy = "JOB_BUSY", 409, "the job was just started by someone else: look at its runs";
    InvalidField = "INVALID_FIELD", 422, "a field has the wrong type or is missing";
    ControlCharacter = "CONTROL_CHARACTER", 422, "text may not hold control characters (only tab and line ends)";
    InvalidCode = "INVALID_CODE", 422, "not a valid code";
    InvalidName = "INVALID_NAME", 422, "not a valid name";
    InvalidCount = "INVALID_COUNT", 422, "not a valid count";
    InvalidNote = "INVALID_NOTE", 422, "not a valid note";
    InvalidReason = "INVALID_REASON", 422, "not a valid reason";
    InvalidPath = "INVALID_PATH", 422, "a path parameter is not valid";
    InvalidQuery = "INVALID_QUERY", 422, "a query parameter is not valid";
    InvalidLimit = "INVALID_LIMIT", 422, "limit must be 1 to 500";
    InvalidTimestamp = "INVALID_TIMESTAMP", 422, "not a valid RFC 3339 timestamp";
    InvalidGraceDays = "INVALID_GRACE_DAYS", 422, "not a valid number of grace days";
    InvalidMaxTransfers = "INVALID_MAX_TRANSFERS", 422, "not a valid number of transfers";
    KeyFormatInvalid = "KEY_FORMAT_INVALID", 422, "a product key is 16 symbols from the key alphabet";
    KeyChecksumInvalid = "KEY_CHECKSUM_INVALID", 422, "the product key is mistyped (its check symbol does not match)";
    KeyInvalid = "KEY_INVALID", 422, "the product key is not valid for this request";
    KeyRepeated = "KEY_REPEATED", 422, "the key is on an earlier line of the file";
    KeyFormatMismatch = "KEY_FORMAT_MISMATCH", 422, "the key is not spelt in its product's key format";
    KeyPatternInvalid = "KEY_PATTERN_INVALID", 422, "a key format is a regular expression of 1 to 200 characters";
    SiteWithoutCustomer = "SITE_WITHOUT_CUSTOMER", 422, "a site name needs the customer whose site it is";
    SiteNameInvalid = "SITE_NAME_INVALID", 422, "a site name has 1 to 200 characters and no control characters";
    CsvInvalid = "CSV_INVALID", 422, "not a CSV file with a header of the columns key, product, edition, size (customer and site optional)";
    ImportRefused = "IMPORT_REFUSED", 422, "lines of the file were refused; nothing was imported";
    UsernameInvalid = "USERNAME_INVALID", 422, "not a valid username";
    EmailInvalid = "EMAIL_INVALID", 422, "not a valid email address";
    EmailMismatch = "EMAIL_MISMATCH", 422, "the two email addresses differ";
    PasswordMismatch = "PASSWORD_MISMATCH", 422, "the two passwords differ";
    PasswordTooShort = "PASSWORD_TOO_SHORT", 422, "the password is too short";
    PasswordTooLong = "PASSWORD_TOO_LONG", 422, "the password is too long";
    FieldRequired = "FIELD_REQUIRED", 422, "required";
    FieldTooLong = "FIELD_TOO_LONG", 422, "too long";
    FieldInvalid = "FIELD_INVALID", 422, "not valid";
    FieldFixed = "FIELD_FIXED", 422, "this field cannot be changed after registration";
    PhoneInvalid = "PHONE_INVALID", 422, "not a valid phone number";
    CountryInvalid = "COUNTRY_INVALID", 422, "not an ISO 3166 two-letter country code";
    VatNumberInvalid = "VAT_NUMBER_INVALID", 422, "not a valid VAT number for the country";
    VatCountryMismatch = "VAT_COUNTRY_MISMATCH", 422, "the VAT number belongs to another country";
    VatCountryUnsupported = "VAT_COUNTRY_UNSUPPORTED", 422, "VAT numbers of this country are not checked";
    VatNumberRequired = "VAT_NUMBER_REQUIRED", 422, "a business in the EU gives its VAT number";
    VatRateUnknown = "VAT_RATE_UNKNOWN", 422, "no VAT rate is set for the country";
    PrivacyNotAccepted = "PRIVACY_NOT_ACCEPTED", 422, "the privacy notice must be accepted";
    TermsNotAccepted = "TERMS_NOT_ACCEPTED", 422, "the terms and conditions of the service must be accepted";
    ResetTokenInvalid = "RESET_TOKEN_INVALID", 422, "the reset token is unknown, used or expired";
    FingerprintInvalid = "FINGERPRINT_INVALID", 422, "a fingerprint is 64 hex digits (SHA-256)";
    NonceInvalid = "NONCE_INVALID", 422, "a nonce is 32 to 128 hex digits";
    SiteIdInvalid = "SITE_ID_INVALID", 422, "not a valid site id";
    AccountRefRequired = "ACCOUNT_REF_REQUIRED", 422, "name the account by email or by VAT number";
    LanguageUnsupported = "LANGUAGE_UNSUPPORTED", 422, "the language is not supported";
    EvseIdInvalid = "EVSE_ID_INVALID", 422, "not a valid EVSE id";
    TooManyEvseIds = "TOO_MANY_EVSE_IDS", 422, "at most 500 EVSE ids per site";
    RightUnknown = "RIGHT_UNKNOWN", 422, "no such right";
    PriceInvalid = "PRICE_INVALID", 422, "not a valid price";
    CurrencyInvalid = "CURRENCY_INVALID", 422, "not an ISO 4217 currency code";
    VersionInvalid = "VERSION_INVALID", 422, "not a semantic version such as 1.2.11";
    DownloadUrlInvalid = "DOWNLOAD_URL_INVALID", 422, "a download URL starts with https://";
    ChecksumInvalid = "CHECKSUM_INVALID", 422, "a SHA-256 is 64 hexadecimal digits";
    InvitationInvalid = "INVITATION_INVALID", 422, "the invitation code is unknown, used or expired";
    WebhookUrlInvalid = "WEBHOOK_URL_INVALID", 422, "an endpoint address starts with https://";
    WebhookEventsInvalid = "WEBHOOK_EVENTS_INVALID", 422, "not events webhooks carry";
    PlanTermsInvalid = "PLAN_TERMS_INVALID", 422, "not valid plan terms";
    BundlesRequired = "BUNDLES_REQUIRED", 422, "a plan covers at least one edition and size";
    StateInvalid = "STATE_INVALID", 422, "not a state this can be set to";
    OutboxStateInvalid = "OUTBOX_STATE_INVALID", 422, "not an outbox state";
    OutcomeInvalid = "OUTCOME_INVALID", 422, "not an outcome";
    RetentionInvalid = "RETENTION_INVALID", 422, "not a valid retention";
    SitesInvalid = "SITES_INVALID", 422, "an order is for 1 to 10000 sites";
    TooManySites = "TOO_MANY_SITES", 422, "too many sites at once";
    PaymentIdInvalid = "PAYMENT_ID_INVALID", 422, "a payment id is 1 to 200 characters";
    CollectionInvalid = "COLLECTION_INVALID", 422, "not a valid collection declaration";
    RecordInvalid = "RECORD_INVALID", 422, "a record has an id of 1 to 128 characters and data that is a JSON object of at most 64 KiB";
    RequiredFieldMissing = "REQUIRED_FIELD_MISSING", 422, "a required field is missing or blank";
    TooManyChanges = "TOO_MANY_CHANGES", 422, "too many records in one call";
    BatchIdInvalid = "BATCH_ID_INVALID", 422, "a batch id is 1 to 128 characters";
    CursorInvalid = "CURSOR_INVALID", 422, "a cursor is a version from 0 up";
    KeepInvalid = "KEEP_INVALID", 422, "keep is cloud, site or edit (edit with data)";
    OfflineRequestInvalid = "OFFLINE_REQUEST_INVALID", 422, "the request file is damaged, cut short or was edited after it was written; write a new one on the machine";
    OfflinePolicyInvalid = "OFFLINE_POLICY_INVALID", 422, "offline_policy is none, periodic (with offline_check_days 1 to 3650) or perpetual";
    // 429
    TooManyRequests = "TOO_MANY_REQUESTS", 429, "too many attempts; retry later";
    // 500
    Internal = "INTERNAL", 500, "internal error";
    // 503
    Unavailable = "UNAVAILABLE", 503, "not available now";
    BillingNotConfigured = "BILLING_NOT_CONFIGURED", 503, "the vendor has not set up invoicing yet ([billing] seller_name and seller_country)";
    PaymentsNotConfigured = "PAYMENTS_NOT_CONFIGURED", 503, "no payment secret is configured ([billing] payment_secret)";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code that is not (or no longer) in the table, as read from an error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl FromStr for ErrorCode {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn names_are_unique_and_parse_back() {
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "a wire name is used twice");
        for code in ErrorCode::ALL {
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(*code));
            assert!(
                code.as_str()
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_'),
                "{code}"
            );
            assert!((400..600).contains(&code.status()), "{code}");
        }
        assert!("NO_SUCH_CODE".parse::<ErrorCode>().is_err());
    }
}
