//! Sample data the tests of every crate register with: a complete, valid customer.

use tessera_api::{
    CompanyData, ContactData, CreateProduct, NewEntry, NewSize, Registration, ResellerData,
};

/// A complete, valid registration; tests change one field to see it refused.
/// `vat` is an Italian partita IVA without prefix (see [`IT_VATS`]).
pub fn registration(username: &str, email: &str, vat: &str, key: &str) -> Registration {
    Registration {
        username: username.into(),
        password: PASSWORD.into(),
        password_confirm: PASSWORD.into(),
        email: email.into(),
        email_confirm: email.into(),
        company: CompanyData {
            name: "Rossi Trasporti S.r.l.".into(),
            country: "IT".into(),
            region: "Lombardia".into(),
            city: "Milano".into(),
            street: "Via Rossini".into(),
            number: "12".into(),
            postcode: "20121".into(),
            vat_number: vat.into(),
            sector: "transport".into(),
            tanks: 2,
            drivers: 5,
            vehicles: 5,
            fax: None,
            company_email: None,
            commercial_info: false,
        },
        contact: ContactData {
            first_name: "Jack".into(),
            last_name: "White".into(),
            mobile: "0039 348 96666".into(),
            phone: "0039 859 62626".into(),
        },
        reseller: reseller(),
        privacy_accepted: true,
        newsletter: true,
        language: None,
        product_key: key.into(),
    }
}

pub fn reseller() -> ResellerData {
    ResellerData {
        company_name: "Company s.p.a.".into(),
        country: "IT".into(),
        region: "Milano".into(),
        city: "Milan".into(),
        street: Some("Via Verdi".into()),
        postcode: "20100".into(),
    }
}

/// Valid Italian VAT numbers (partita IVA with a correct check digit), distinct accounts.
pub const IT_VATS: [&str; 4] = ["00743110157", "01234567897", "12345678903", "00000010215"];

/// The password of the sample registrations.
pub const PASSWORD: &str = "correct horse battery staple";

/// Product `crm` of the client-side tests: edition `std`, size `s10` (10 users), module `mail`.
pub fn crm_product() -> CreateProduct {
    let entry = |code: &str, name: &str| NewEntry {
        code: code.into(),
        name: name.into(),
    };
    CreateProduct {
        code: "crm".into(),
        name: "CRM".into(),
        editions: vec![entry("std", "Standard")],
        sizes: vec![NewSize {
            code: "s10".into(),
            name: "10 users".into(),
            limits: [("users".to_owned(), 10)].into(),
        }],
        modules: vec![entry("mail", "Mail")],
        grace_days: None,
        max_transfers: None,
    }
}
