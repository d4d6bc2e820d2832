//! Seed 002: the license manager asks for the plain partita IVA (11 digits, no `IT`). A bare
//! number is read as the key's account's when it is one of its readings; a number that fits
//! no country is `VAT_NUMBER_INVALID`; one that is not the key's account's is `KEY_INVALID`,
//! as with a prefix.

use super::*;

both_backends!(a_plain_partita_iva_activates,);

async fn a_plain_partita_iva_activates(app: TestApp) {
    let keys = product_with_keys(&app, "crm", 2, 0).await;
    register(&app, "jack", EMAIL, IT_VATS[0], &keys[0]).await;

    let body = error(
        activate_vat(&app, "1234567890123456789012345", &keys[0], &fp('a'), None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VAT_NUMBER_INVALID",
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("vat_number"));
    // Another company's partita IVA, and a mistyped one: not this key's account.
    for other in [IT_VATS[1], "00743110158"] {
        error(
            activate_vat(&app, other, &keys[0], &fp('a'), None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await;
    }
    // A key registered to nobody answers as any key not the account's.
    error(
        activate_vat(&app, IT_VATS[0], &keys[1], &fp('a'), None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    )
    .await;

    let plain = IT_VATS[0];
    let done = activated(
        activate_vat(&app, plain, &keys[0], &fp('a'), None).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(done.activation, "activated");
    // With spaces as people type it, and with the prefix: the same account.
    let spaced = format!("{} {} {}", &plain[..3], &plain[3..7], &plain[7..]);
    for again in [spaced.as_str(), &format!("IT{plain}")] {
        let resp = activate_vat(&app, again, &keys[0], &fp('a'), None).await;
        assert_eq!(activated(resp, StatusCode::OK).await.activation, "again");
    }
}
