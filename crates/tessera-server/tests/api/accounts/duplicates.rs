//! B1: duplicates are refused and leave the key free.

use super::*;

both_backends!(duplicates_are_refused_and_leave_the_key_free,);

async fn duplicates_are_refused_and_leave_the_key_free(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 5, 0).await;
    let jack = register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let spare = &keys[1];
    let cases = [
        (
            registration("JACK", "other@example.com", IT_VATS[1], spare),
            "USERNAME_TAKEN",
            "username",
        ),
        (
            registration("other", "Jack@EXAMPLE.com", IT_VATS[1], spare),
            "EMAIL_TAKEN",
            "email",
        ),
        (
            registration("other", "other@example.com", IT_VATS[0], spare),
            "VAT_NUMBER_TAKEN",
            "company.vat_number",
        ),
        // The same VAT number typed differently.
        (
            registration("other", "other@example.com", "it 007-431-101 57", spare),
            "VAT_NUMBER_TAKEN",
            "company.vat_number",
        ),
    ];
    for (body, code, field) in cases {
        let e = error(
            post_registration(&app, &body).await,
            StatusCode::CONFLICT,
            code,
        )
        .await;
        // Named, so a form shows it beside the field.
        assert_eq!(e.field.as_deref(), Some(field), "{code}");
    }
    // The refused attempts left the key free and sent no mail.
    assert_eq!(key_status(&app, spare).await, "issued");
    assert!(
        app.store
            .mail_to("other@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(listed(&app, "").await, [jack.id]);
    let other = registered(
        &app,
        &registration("other", "other@example.com", IT_VATS[1], spare),
    )
    .await;
    assert_eq!(&other.installations[0].product_key, spare);
    assert_eq!(
        app.store.mail_to("other@example.com").await.unwrap().len(),
        1
    );

    // Two registrations racing for one key: exactly one gets it.
    let racer1 = registration("racer1", "racer1@example.com", MORE_VATS[0], &keys[2]);
    let racer2 = registration("racer2", "racer2@example.com", MORE_VATS[1], &keys[2]);
    let (a, b) = tokio::join!(
        post_registration(&app, &racer1),
        post_registration(&app, &racer2)
    );
    let (winner, loser) = if a.status() == StatusCode::CREATED {
        (a, b)
    } else {
        (b, a)
    };
    ok::<Account>(winner, StatusCode::CREATED).await;
    error(loser, StatusCode::UNPROCESSABLE_ENTITY, "KEY_INVALID").await;
    // Two racing for one username: exactly one gets it, and the other's key stays free.
    let twin1 = registration("twin", "twin1@example.com", MORE_VATS[2], &keys[3]);
    let twin2 = registration("twin", "twin2@example.com", MORE_VATS[3], &keys[4]);
    let (a, b) = tokio::join!(
        post_registration(&app, &twin1),
        post_registration(&app, &twin2)
    );
    let (a_won, b_won) = (
        a.status() == StatusCode::CREATED,
        b.status() == StatusCode::CREATED,
    );
    let (winner, loser, loser_key) = if a_won {
        (a, b, &keys[4])
    } else {
        (b, a, &keys[3])
    };
    assert!(a_won != b_won, "exactly one wins");
    ok::<Account>(winner, StatusCode::CREATED).await;
    error(loser, StatusCode::CONFLICT, "USERNAME_TAKEN").await;
    assert_eq!(key_status(&app, loser_key).await, "issued");
    assert_eq!(listed(&app, "").await.len(), 4);
}
