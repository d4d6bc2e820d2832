//! Importing keys sold under an earlier system (X5): the rules for one line of the file and
//! what becomes of it beside what Tessera already holds. Reading the CSV is the server's,
//! writing the store's; both ask these functions.
//!
//! A line names the key (in the spelling it was sold in), its product, edition and size, and
//! optionally the customer (an account's email) and the name of the customer's site that runs
//! it. A key Tessera holds already with the same product, edition and size (and the same
//! customer, when the line names one) is *unchanged*, so the same file imported twice changes
//! nothing; held otherwise, the line is refused.

use crate::account::{Email, FieldError};
use crate::catalog::{Code, CodeError};
use crate::key_format::KeyFormat;
use crate::{KeyError, KeyStatus, ProductKey};

/// The columns a file may have, in the order an exported file has them.
pub const COLUMNS: [&str; 6] = ["key", "product", "edition", "size", "customer", "site"];
/// The columns every file has.
pub const REQUIRED_COLUMNS: [&str; 4] = ["key", "product", "edition", "size"];
/// Lines one file may hold (a file this long is about 8 MB).
pub const MAX_LINES: usize = 200_000;
/// The longest site name taken.
pub const MAX_SITE_NAME: usize = 200;

/// One line as written in the file; `line` counts from the header, which is line 1.
#[derive(Debug, Clone, Copy)]
pub struct RawLine<'a> {
    pub line: u64,
    pub key: &'a str,
    pub product: &'a str,
    pub edition: &'a str,
    pub size: &'a str,
    pub customer: Option<&'a str>,
    pub site: Option<&'a str>,
}

/// One line read and checked on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLine {
    pub line: u64,
    pub key: ProductKey,
    pub product: String,
    pub edition: String,
    pub size: String,
    /// The customer's account email, lower case.
    pub customer: Option<String>,
    /// The name the customer's installation gets.
    pub site: Option<String>,
}

/// Why a line is refused. The API gives each its own code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineRefusal {
    #[error("{0}")]
    Key(KeyError),
    #[error("{field}: {error}")]
    Code {
        field: &'static str,
        error: CodeError,
    },
    #[error("customer: {}", .0.message)]
    Customer(FieldError),
    #[error("site: a site name has 1 to {MAX_SITE_NAME} characters and no control characters")]
    SiteName,
    #[error("a site name needs the customer whose site it is")]
    SiteWithoutCustomer,
    #[error("the key is on line {0} already")]
    Repeated(u64),
    #[error("no product '{0}'")]
    ProductUnknown(String),
    #[error("the product has no edition '{0}'")]
    EditionUnknown(String),
    #[error("the product has no size '{0}'")]
    SizeUnknown(String),
    #[error("the key does not have the product's key format {0}")]
    FormatMismatch(String),
    #[error("the product states no key format for imported keys, and this is not a Tessera key")]
    NoFormat,
    #[error("no account with the email {0}")]
    CustomerUnknown(String),
    #[error("the key exists already: {0}")]
    Exists(String),
}

/// Reads one line: the key in any spelling, the codes, the customer's email, the site name.
pub fn read_line(raw: &RawLine<'_>) -> Result<ImportLine, LineRefusal> {
    let key = ProductKey::any_format(raw.key).map_err(LineRefusal::Key)?;
    let code = |field: &'static str, s: &str| {
        Code::parse(s)
            .map(|c| c.as_str().to_owned())
            .map_err(|error| LineRefusal::Code { field, error })
    };
    let customer = present(raw.customer)
        .map(|c| Email::parse("customer", c).map_err(LineRefusal::Customer))
        .transpose()?;
    let site = present(raw.site).map(str::to_owned);
    if let Some(name) = &site {
        if name.chars().count() > MAX_SITE_NAME || name.chars().any(char::is_control) {
            return Err(LineRefusal::SiteName);
        }
        if customer.is_none() {
            return Err(LineRefusal::SiteWithoutCustomer);
        }
    }
    Ok(ImportLine {
        line: raw.line,
        key,
        product: code("product", raw.product)?,
        edition: code("edition", raw.edition)?,
        size: code("size", raw.size)?,
        customer: customer.map(|e| e.as_str().to_owned()),
        site,
    })
}

fn present(cell: Option<&str>) -> Option<&str> {
    cell.map(str::trim).filter(|s| !s.is_empty())
}

/// Whether `key` may be imported for a product with `format`: a key Tessera issued always
/// may (a vendor moving between Tessera servers); any other needs the product's format.
pub fn spelling_ok(key: &ProductKey, format: Option<&KeyFormat>) -> Result<(), LineRefusal> {
    if key.is_native() {
        return Ok(());
    }
    match format {
        None => Err(LineRefusal::NoFormat),
        Some(f) if f.matches(key) => Ok(()),
        Some(f) => Err(LineRefusal::FormatMismatch(f.pattern().to_owned())),
    }
}

/// A key as Tessera holds it already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub product: String,
    pub edition: String,
    pub size: String,
    pub status: KeyStatus,
    /// The account it is registered to.
    pub account: Option<i64>,
}

/// What an accepted line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new key; registered to the line's customer at once when `register`.
    New { register: bool },
    /// Held already as the line says: nothing to do.
    Unchanged,
    /// Held already, not registered yet: now registered to the line's customer.
    Register,
}

/// What becomes of `line`, whose customer (if it names one) is the account `customer`,
/// beside the key as Tessera holds it (`held`).
pub fn judge(
    line: &ImportLine,
    customer: Option<i64>,
    held: Option<&Held>,
) -> Result<Outcome, LineRefusal> {
    let Some(held) = held else {
        return Ok(Outcome::New {
            register: customer.is_some(),
        });
    };
    if (&held.product, &held.edition, &held.size) != (&line.product, &line.edition, &line.size) {
        return Err(LineRefusal::Exists(format!(
            "for product {}, edition {}, size {}",
            held.product, held.edition, held.size
        )));
    }
    match (customer, held.account) {
        (None, _) => Ok(Outcome::Unchanged),
        (Some(wanted), Some(has)) if wanted == has => Ok(Outcome::Unchanged),
        (Some(_), Some(_)) => Err(LineRefusal::Exists(
            "registered to another account".to_owned(),
        )),
        (Some(_), None) if held.status == KeyStatus::Issued => Ok(Outcome::Register),
        (Some(_), None) => Err(LineRefusal::Exists(held.status.as_str().to_owned())),
    }
}

/// The line a key first appeared on, for each line whose key an earlier line has already.
pub fn repeated(lines: &[ImportLine]) -> Vec<(u64, u64)> {
    let mut first = std::collections::HashMap::with_capacity(lines.len());
    lines
        .iter()
        .filter_map(|l| match first.entry(l.key) {
            std::collections::hash_map::Entry::Occupied(e) => Some((l.line, *e.get())),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(l.line);
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw<'a>(key: &'a str, customer: Option<&'a str>, site: Option<&'a str>) -> RawLine<'a> {
        RawLine {
            line: 2,
            key,
            product: "fuelmaster",
            edition: "standard",
            size: "s",
            customer,
            site,
        }
    }

    fn held(account: Option<i64>, status: KeyStatus) -> Held {
        Held {
            product: "fuelmaster".into(),
            edition: "standard".into(),
            size: "s".into(),
            status,
            account,
        }
    }

    #[test]
    fn reads_a_line_in_the_spelling_it_was_sold_in() {
        let line = read_line(&raw(
            " u107-3d27-309c-f484 ",
            Some(" Mario@Rossi.IT "),
            Some(" Depot Nord "),
        ))
        .unwrap();
        assert_eq!(line.key.compact(), "U1073D27309CF484");
        assert_eq!(line.customer.as_deref(), Some("mario@rossi.it"));
        assert_eq!(line.site.as_deref(), Some("Depot Nord"));
        let bare = read_line(&raw("U1073D27309CF484", Some(""), None)).unwrap();
        assert_eq!((bare.key, bare.customer), (line.key, None));
    }

    #[test]
    fn refuses_what_cannot_be_a_line() {
        assert!(matches!(
            read_line(&raw("U1", None, None)),
            Err(LineRefusal::Key(KeyError::AnyFormatLength(2)))
        ));
        assert!(matches!(
            read_line(&raw("U107", Some("no-at-sign"), None)),
            Err(LineRefusal::Customer(_))
        ));
        assert_eq!(
            read_line(&raw("U107", None, Some("Depot"))),
            Err(LineRefusal::SiteWithoutCustomer)
        );
        assert_eq!(
            read_line(&raw("U107", Some("a@b.it"), Some("a\u{7}b"))),
            Err(LineRefusal::SiteName)
        );
        let mut bad_code = raw("U107", None, None);
        bad_code.edition = "Stan dard";
        assert!(matches!(
            read_line(&bad_code),
            Err(LineRefusal::Code {
                field: "edition",
                ..
            })
        ));
    }

    #[test]
    fn a_foreign_key_needs_the_products_format() {
        let old = ProductKey::any_format("U107-3D27-309C-F484").unwrap();
        let format = KeyFormat::parse("U[0-9A-F]{15}").unwrap();
        assert_eq!(spelling_ok(&old, Some(&format)), Ok(()));
        assert_eq!(spelling_ok(&old, None), Err(LineRefusal::NoFormat));
        let other = KeyFormat::parse("X[0-9]{15}").unwrap();
        assert_eq!(
            spelling_ok(&old, Some(&other)),
            Err(LineRefusal::FormatMismatch("X[0-9]{15}".into()))
        );
        let native = ProductKey::generate(&mut rand::rngs::OsRng);
        assert_eq!(spelling_ok(&native, None), Ok(()));
    }

    #[test]
    fn the_same_line_again_changes_nothing() {
        let line = read_line(&raw("U107-3D27-309C-F484", Some("a@b.it"), None)).unwrap();
        assert_eq!(
            judge(&line, Some(7), None),
            Ok(Outcome::New { register: true })
        );
        let registered = held(Some(7), KeyStatus::Registered);
        assert_eq!(
            judge(&line, Some(7), Some(&registered)),
            Ok(Outcome::Unchanged)
        );
        let activated = held(Some(7), KeyStatus::Activated);
        assert_eq!(
            judge(&line, Some(7), Some(&activated)),
            Ok(Outcome::Unchanged)
        );
        let no_customer = read_line(&raw("U107-3D27-309C-F484", None, None)).unwrap();
        assert_eq!(
            judge(&no_customer, None, Some(&registered)),
            Ok(Outcome::Unchanged)
        );
        assert_eq!(
            judge(&no_customer, None, None),
            Ok(Outcome::New { register: false })
        );
    }

    #[test]
    fn a_key_held_otherwise_is_refused_and_an_issued_one_registered() {
        let line = read_line(&raw("U107-3D27-309C-F484", Some("a@b.it"), None)).unwrap();
        let elsewhere = held(Some(8), KeyStatus::Registered);
        assert!(matches!(
            judge(&line, Some(7), Some(&elsewhere)),
            Err(LineRefusal::Exists(_))
        ));
        let mut other_edition = held(None, KeyStatus::Issued);
        other_edition.edition = "premium".into();
        assert!(matches!(
            judge(&line, Some(7), Some(&other_edition)),
            Err(LineRefusal::Exists(_))
        ));
        assert_eq!(
            judge(&line, Some(7), Some(&held(None, KeyStatus::Issued))),
            Ok(Outcome::Register)
        );
        assert!(matches!(
            judge(&line, Some(7), Some(&held(None, KeyStatus::Revoked))),
            Err(LineRefusal::Exists(_))
        ));
    }

    #[test]
    fn names_the_first_line_of_a_repeated_key() {
        let a = read_line(&raw("U107-3D27-309C-F484", None, None)).unwrap();
        let mut b = read_line(&raw("u1073d27309cf484", None, None)).unwrap();
        b.line = 5;
        let mut c = read_line(&raw("ABCD-EFGH", None, None)).unwrap();
        c.line = 6;
        assert_eq!(repeated(&[a, b, c]), vec![(5, 2)]);
    }
}
