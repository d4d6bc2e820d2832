use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::sites::Site;

/// The company part of a registration (B1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CompanyData {
    #[schema(example = "Rossi Trasporti S.r.l.")]
    pub name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "IT")]
    pub country: String,
    #[schema(example = "Lombardia")]
    pub region: String,
    #[schema(example = "Milano")]
    pub city: String,
    #[schema(example = "Via Rossini")]
    pub street: String,
    #[schema(example = "12")]
    pub number: String,
    #[schema(example = "20121")]
    pub postcode: String,
    /// Checked against the country's format; stored with its country prefix.
    #[schema(example = "IT00743110157")]
    pub vat_number: String,
    #[schema(example = "transport")]
    pub sector: String,
    /// 0 to 1 000 000, as are `drivers` and `vehicles` (`INVALID_COUNT` otherwise).
    #[schema(maximum = 1_000_000)]
    pub tanks: u32,
    #[schema(maximum = 1_000_000)]
    pub drivers: u32,
    #[schema(maximum = 1_000_000)]
    pub vehicles: u32,
    /// The company's fax number (fiscal data, optional).
    #[serde(default)]
    #[schema(example = "0039 02 123456")]
    pub fax: Option<String>,
    /// The company's own email address (fiscal data, optional), besides the account's.
    #[serde(default)]
    #[schema(example = "amministrazione@rossi.example")]
    pub company_email: Option<String>,
    /// Consent to receive commercial information (optional; false unless given).
    #[serde(default)]
    pub commercial_info: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactData {
    #[schema(example = "Jack")]
    pub first_name: String,
    #[schema(example = "White")]
    pub last_name: String,
    #[schema(example = "0039 348 96666")]
    pub mobile: String,
    #[schema(example = "0039 859 62626")]
    pub phone: String,
}

/// The reseller a product key was bought from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ResellerData {
    #[schema(example = "Company s.p.a.")]
    pub company_name: String,
    #[schema(example = "IT")]
    pub country: String,
    #[schema(example = "Lombardia")]
    pub region: String,
    #[schema(example = "Milano")]
    pub city: String,
    #[serde(default)]
    pub street: Option<String>,
    #[schema(example = "20100")]
    pub postcode: String,
}

/// Registration of a customer account with its first product key (B1).
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct Registration {
    #[schema(example = "jack.white")]
    pub username: String,
    #[schema(min_length = 12)]
    pub password: String,
    /// The password typed a second time; must equal `password` exactly
    /// (`PASSWORD_MISMATCH` otherwise).
    pub password_confirm: String,
    #[schema(example = "jack@example.com")]
    pub email: String,
    /// The email typed a second time.
    #[schema(example = "jack@example.com")]
    pub email_confirm: String,
    pub company: CompanyData,
    pub contact: ContactData,
    pub reseller: ResellerData,
    /// Must be true; stored with the time and the client IP.
    pub privacy_accepted: bool,
    #[serde(default)]
    pub newsletter: bool,
    /// The language mail is written in: `en` (the default), `de` or `it`.
    #[serde(default)]
    #[schema(example = "it")]
    pub language: Option<String>,
    #[schema(example = "U107-3D27-309C-F484")]
    pub product_key: String,
}

impl std::fmt::Debug for Registration {
    /// The password never appears in debug output (and so never in logs).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("username", &self.username)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// A product key to check before registering with it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct KeyCheckRequest {
    #[schema(example = "U107-3D27-309C-F484")]
    pub product_key: String,
}

/// A key that can be registered: it exists, is issued and belongs to nobody. Nothing else
/// about it is told (not its product or edition) until it is registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct KeyCheck {
    /// The key in its canonical form.
    #[schema(example = "U107-3D27-309C-F484")]
    pub product_key: String,
    /// Always true: a key that cannot be registered is answered `422 KEY_INVALID`.
    pub registrable: bool,
}

/// A customer account as its owner and operators see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub company: CompanyData,
    pub contact: ContactData,
    pub privacy_accepted_at: String,
    pub privacy_ip: String,
    pub newsletter: bool,
    /// The language mail is written in (`en`, `de`, `it`).
    pub language: String,
    pub created_at: String,
    /// How many days the account's operations log is kept, when an operator gave it its own
    /// retention (`PUT /api/v1/accounts/{id}/log-retention`); null follows the server's
    /// `operations_log_days` (I2).
    pub log_retention_days: Option<u32>,
    /// The account's installations (one per registered key).
    pub installations: Vec<Site>,
}

/// The account's data as its superadmin changes it (`PUT /api/v1/account/profile`): the
/// whole company and contact blocks, as `GET /api/v1/account` shows them. The VAT number and
/// its country identify the account and stay as registered (`FIELD_FIXED` otherwise).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProfileUpdate {
    pub company: CompanyData,
    pub contact: ContactData,
}

/// The language the account's mail is written in (I3).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LanguageChoice {
    /// `en`, `de` or `it`.
    #[schema(example = "de", max_length = 8)]
    pub language: String,
}

/// A further contact to add to the account (the seed's "add a new contact to your account").
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewAccountContact {
    #[schema(example = "Nicola")]
    pub first_name: String,
    #[schema(example = "Luzzara")]
    pub last_name: String,
    #[schema(example = "nicola@example.com")]
    pub email: String,
    #[schema(example = "001 54564465")]
    pub mobile: String,
}

/// A further contact of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AccountContact {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub mobile: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountContactList {
    /// Oldest first.
    pub contacts: Vec<AccountContact>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountSummary {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub company_name: String,
    pub country: String,
    pub vat_number: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountPage {
    pub accounts: Vec<AccountSummary>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<i64>,
}

/// A further key for a registered account (B2).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AddKey {
    #[schema(example = "U107-3D27-309C-F484")]
    pub product_key: String,
    pub reseller: ResellerData,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    pub email: String,
}

#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct PasswordResetConfirm {
    /// The token from the reset email.
    pub token: String,
    #[schema(min_length = 12)]
    pub password: String,
}

impl std::fmt::Debug for PasswordResetConfirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordResetConfirm { .. }")
    }
}
