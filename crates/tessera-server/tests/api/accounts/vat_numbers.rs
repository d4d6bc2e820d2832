//! B1: Swiss, British and US VAT numbers.

use super::*;

both_backends!(swiss_british_and_us_vat_numbers_are_accepted,);

async fn swiss_british_and_us_vat_numbers_are_accepted(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 3, 0).await;
    let mut ch = registration(
        "swiss",
        "swiss@example.ch",
        "CHE-116.281.710 MWST",
        &keys[0],
    );
    ch.company.country = "CH".into();
    // A mistyped UID is refused first.
    let mut mistyped_uid = ch.clone();
    mistyped_uid.company.vat_number = "CHE-116.281.711".into();
    let e = error(
        post_registration(&app, &mistyped_uid).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VAT_NUMBER_INVALID",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("company.vat_number"));

    let mut gb = registration("brit", "brit@example.co.uk", "GB 980 7806 84", &keys[1]);
    gb.company.country = "GB".into();
    let mut us = registration("yank", "yank@example.us", "94-2404110", &keys[2]);
    us.company.country = "us".into();

    let mut ids = Vec::new();
    for (body, country, vat, key) in [
        (ch, "CH", "CHE116281710", &keys[0]),
        (gb, "GB", "GB980780684", &keys[1]),
        (us, "US", "US942404110", &keys[2]),
    ] {
        let account = registered(&app, &body).await;
        assert_eq!(
            (
                account.company.country.as_str(),
                account.company.vat_number.as_str()
            ),
            (country, vat)
        );
        assert_eq!(account.installations.len(), 1);
        assert_eq!(&account.installations[0].product_key, key);
        ids.push(account.id);
    }
    let page: AccountPage = ok(app.get("/api/v1/accounts").await, StatusCode::OK).await;
    let vats: Vec<_> = page
        .accounts
        .iter()
        .map(|a| (a.id, a.country.as_str(), a.vat_number.as_str()))
        .collect();
    assert_eq!(
        vats,
        [
            (ids[0], "CH", "CHE116281710"),
            (ids[1], "GB", "GB980780684"),
            (ids[2], "US", "US942404110"),
        ]
    );
}
