//! The account's data after registration: its superadmin changes the company and contact
//! data (never the VAT number or its country) and keeps further contacts. Nobody else may,
//! and another account's contact is not found.

use tessera_api::{NewAccountContact, NewUser, PasswordResetRequest, ProfileUpdate};

use super::*;

both_backends!(
    the_superadmin_changes_company_and_contact_data,
    further_contacts_are_added_listed_and_removed,
    the_mail_language_follows_the_superadmins_choice,
);

/// The seed's "complete/update your account information" with new data throughout.
fn updated(account: &Account) -> ProfileUpdate {
    let mut company = account.company.clone();
    company.name = "Rossi Logistica S.p.A.".into();
    company.city = "Bergamo".into();
    company.street = "Via Verdi".into();
    company.vehicles = 12;
    company.fax = Some("0039 02 123456".into());
    company.company_email = Some("Fatture@Rossi.example".into());
    company.commercial_info = true;
    let mut contact = account.contact.clone();
    contact.first_name = "Nicola".into();
    contact.last_name = "Luzzara".into();
    contact.mobile = "001 54564465".into();
    ProfileUpdate { company, contact }
}

async fn the_superadmin_changes_company_and_contact_data(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    let account = register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let token = account_login(&app, "jack").await;
    let portal = app.api_as(Some(&token));
    let change = updated(&account);

    // Refused changes name their field and store nothing.
    let refusals = [
        ("company.vat_number", "FIELD_FIXED", {
            let mut c = change.clone();
            c.company.vat_number = IT_VATS[1].into();
            c
        }),
        ("company.country", "FIELD_FIXED", {
            let mut c = change.clone();
            c.company.country = "DE".into();
            c
        }),
        ("company.name", "FIELD_REQUIRED", {
            let mut c = change.clone();
            c.company.name = " ".into();
            c
        }),
        ("company.fax", "PHONE_INVALID", {
            let mut c = change.clone();
            c.company.fax = Some("none".into());
            c
        }),
        ("company.vehicles", "INVALID_COUNT", {
            let mut c = change.clone();
            c.company.vehicles = 2_147_483_648;
            c
        }),
        ("contact.mobile", "PHONE_INVALID", {
            let mut c = change.clone();
            c.contact.mobile = "call me".into();
            c
        }),
    ];
    for (field, code, body) in refusals {
        let e = refused(
            portal.update_profile(&body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        );
        assert_eq!(e.field.as_deref(), Some(field), "{code}: {}", e.message);
    }
    assert_eq!(portal.own_account().await.unwrap().company, account.company);

    // The VAT number as typed at registration (without prefix) is the same number.
    let mut body = change.clone();
    body.company.vat_number = IT_VATS[0].into();
    let after = portal.update_profile(&body).await.unwrap();
    assert_eq!(after.company.name, "Rossi Logistica S.p.A.");
    assert_eq!(after.company.vat_number, "IT00743110157");
    assert_eq!(
        after.company.company_email.as_deref(),
        Some("fatture@rossi.example")
    );
    assert_eq!(after.contact, change.contact);
    assert_eq!(
        (after.username.as_str(), after.email.as_str()),
        ("jack", "jack@example.com")
    );
    assert_eq!(after.installations.len(), 1);

    // Operators see the change and find the account by its new name.
    let seen = app.api().account(account.id).await.unwrap();
    assert_eq!(seen.company, after.company);
    let found = app
        .api()
        .accounts(Some("rossi logistica"), 0, 10)
        .await
        .unwrap();
    assert_eq!(found.accounts.len(), 1);
    assert_eq!(found.accounts[0].company_name, "Rossi Logistica S.p.A.");

    // Only the superadmin: an account user is refused, a visitor is asked to sign in.
    let user = NewUser {
        username: "tom.tech".into(),
        password: PASSWORD.into(),
        groups: Vec::new(),
    };
    portal.create_user(&user).await.unwrap();
    let login = LoginRequest {
        username: "tom.tech".into(),
        password: PASSWORD.into(),
        language: None,
    };
    let tom = app.api_as(None).user_login(&login).await.unwrap().token;
    refused(
        app.api_as(Some(&tom)).update_profile(&change).await,
        StatusCode::FORBIDDEN,
        "SUPERADMIN_REQUIRED",
    );
    refused(
        app.api_as(None).update_profile(&change).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
}

fn contact(first: &str, email: &str) -> NewAccountContact {
    NewAccountContact {
        first_name: first.into(),
        last_name: "Luzzara".into(),
        email: email.into(),
        mobile: "001 54564465".into(),
    }
}

async fn further_contacts_are_added_listed_and_removed(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    register(&app, "bob", "bob@example.com", IT_VATS[1], &keys[1]).await;
    let jack = app.api_as(Some(&account_login(&app, "jack").await));
    let bob = app.api_as(Some(&account_login(&app, "bob").await));

    let nicola = jack
        .add_account_contact(&contact("Nicola", "Nicola@Example.com"))
        .await
        .unwrap();
    assert_eq!(
        (nicola.first_name.as_str(), nicola.email.as_str()),
        ("Nicola", "nicola@example.com")
    );
    let anna = jack
        .add_account_contact(&contact("Anna", "anna@example.com"))
        .await
        .unwrap();
    let listed = jack.account_contacts().await.unwrap().contacts;
    assert_eq!(listed, vec![nicola.clone(), anna.clone()]);

    // Bad input names its field.
    for (body, code, field) in [
        (contact("", "x@example.com"), "FIELD_REQUIRED", "first_name"),
        (contact("Eva", "eva"), "EMAIL_INVALID", "email"),
        (
            NewAccountContact {
                mobile: "123".into(),
                ..contact("Eva", "eva@example.com")
            },
            "PHONE_INVALID",
            "mobile",
        ),
    ] {
        let e = refused(
            jack.add_account_contact(&body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        );
        assert_eq!(e.field.as_deref(), Some(field));
    }

    // Another account neither sees nor removes them.
    assert!(bob.account_contacts().await.unwrap().contacts.is_empty());
    refused(
        bob.remove_account_contact(nicola.id).await,
        StatusCode::NOT_FOUND,
        "CONTACT_NOT_FOUND",
    );
    jack.remove_account_contact(nicola.id).await.unwrap();
    assert_eq!(jack.account_contacts().await.unwrap().contacts, vec![anna]);
    refused(
        jack.remove_account_contact(nicola.id).await,
        StatusCode::NOT_FOUND,
        "CONTACT_NOT_FOUND",
    );

    // At most twenty.
    for i in 1..20 {
        jack.add_account_contact(&contact("More", &format!("more{i}@example.com")))
            .await
            .unwrap();
    }
    refused(
        jack.add_account_contact(&contact("Extra", "extra@example.com"))
            .await,
        StatusCode::CONFLICT,
        "TOO_MANY_CONTACTS",
    );
    assert_eq!(jack.account_contacts().await.unwrap().contacts.len(), 20);
}

/// The subjects of the password-reset mails queued for `email`, oldest first.
async fn reset_subjects(app: &TestApp, email: &str) -> Vec<String> {
    let reset = PasswordResetRequest {
        email: email.into(),
    };
    app.api_as(None)
        .request_password_reset(&reset)
        .await
        .unwrap();
    app.mail_to(email)
        .await
        .into_iter()
        .filter(|m| m.kind == "password.reset")
        .map(|m| m.subject)
        .collect()
}

/// I3: signing in with a language (as the web application does) or setting it makes it the
/// language of the account's mail; only the superadmin's choice counts.
async fn the_mail_language_follows_the_superadmins_choice(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    let account = register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    assert_eq!(account.language, "en");

    let login = |language: &str| LoginRequest {
        username: "jack@example.com".into(),
        password: PASSWORD.into(),
        language: Some(language.into()),
    };
    // An unknown language is refused before anything else, and signs nobody in.
    refused(
        app.api_as(None).account_login(&login("fr")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "LANGUAGE_UNSUPPORTED",
    );
    let token = app
        .api_as(None)
        .account_login(&login("it-IT"))
        .await
        .unwrap()
        .token;
    let portal = app.api_as(Some(&token));
    assert_eq!(portal.own_account().await.unwrap().language, "it");
    assert_eq!(
        reset_subjects(&app, "jack@example.com").await,
        ["Reimposta la password"]
    );

    // Set on its own; a refusal names the field and changes nothing.
    let e = refused(
        portal.set_account_language("klingon").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "LANGUAGE_UNSUPPORTED",
    );
    assert_eq!(e.field.as_deref(), Some("language"));
    assert_eq!(
        portal.set_account_language("de").await.unwrap().language,
        "de"
    );
    assert_eq!(
        reset_subjects(&app, "jack@example.com").await[1],
        "Passwort zurücksetzen"
    );

    // An account user's language is theirs alone; they may not set the account's.
    let user = NewUser {
        username: "tom.tech".into(),
        password: PASSWORD.into(),
        groups: Vec::new(),
    };
    portal.create_user(&user).await.unwrap();
    let tom = LoginRequest {
        username: "tom.tech".into(),
        password: PASSWORD.into(),
        language: Some("it".into()),
    };
    let tom = app.api_as(None).user_login(&tom).await.unwrap().token;
    refused(
        app.api_as(Some(&tom)).set_account_language("it").await,
        StatusCode::FORBIDDEN,
        "SUPERADMIN_REQUIRED",
    );
    assert_eq!(portal.own_account().await.unwrap().language, "de");
}
