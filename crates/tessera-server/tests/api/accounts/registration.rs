//! B1: registration stores the account, its key, and the confirmation mail.

use tessera_api::CompanyData;

use super::*;

both_backends!(
    registration_stores_account_key_and_mail,
    fiscal_data_is_optional_and_shown_on_the_account,
);

async fn registration_stores_account_key_and_mail(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    let key = &keys[0];
    app.clock.advance(SignedDuration::from_mins(5));
    let mut body = registration("Jack.White", "Jack@Example.com", IT_VATS[0], key);
    body.email_confirm = " jack@example.COM ".into();

    let raw: Value = ok(post_registration(&app, &body).await, StatusCode::CREATED).await;
    assert!(
        raw.get("password").is_none() && raw.get("password_hash").is_none(),
        "no password in the answer: {raw}"
    );
    let account: Account = serde_json::from_value(raw).unwrap();
    assert_eq!(account.username, "jack.white");
    assert_eq!(account.email, "jack@example.com");
    // The company and contact as sent, the VAT number with its country prefix.
    assert_eq!(
        serde_json::to_value(&account.company).unwrap(),
        serde_json::to_value(CompanyData {
            vat_number: "IT00743110157".into(),
            ..body.company.clone()
        })
        .unwrap()
    );
    assert_eq!(
        serde_json::to_value(&account.contact).unwrap(),
        serde_json::to_value(&body.contact).unwrap()
    );
    // Privacy acceptance with the time and the client's address.
    assert_eq!(account.privacy_accepted_at, "2026-11-23T09:05:00Z");
    assert_eq!(account.privacy_ip, "127.0.0.1");
    assert_eq!(account.created_at, "2026-11-23T09:05:00Z");
    assert!(account.newsletter);

    // One installation slot for the key, not yet bound to a machine.
    assert_eq!(account.installations.len(), 1);
    let site = &account.installations[0];
    assert!(!site.site_id.is_empty());
    assert_eq!(site.account_id, account.id);
    assert_eq!(
        (
            site.status.as_str(),
            site.key_status.as_str(),
            site.product_key.as_str()
        ),
        ("registered", "registered", key.as_str())
    );
    assert_eq!(
        (
            site.product.as_str(),
            site.edition.as_str(),
            site.size.as_str()
        ),
        ("fleet", "std", "s10")
    );
    assert_eq!(
        site.label,
        format!("Installation …{}", &key[key.len() - 4..])
    );
    assert_eq!(
        (
            site.fingerprint.as_deref(),
            site.activated_at.as_deref(),
            site.transfers
        ),
        (None, None, 0)
    );

    // The key is registered, and its history says by whom, when and to which site.
    assert_eq!(key_status(&app, key).await, "registered");
    let history: KeyHistory = ok(
        app.get(&format!("/api/v1/keys/{key}/history")).await,
        StatusCode::OK,
    )
    .await;
    let last = history.events.last().expect("events");
    assert_eq!(
        (
            last.action.as_str(),
            last.actor.as_str(),
            last.at.as_str(),
            last.detail.clone()
        ),
        (
            "key.registered",
            "account:jack.white",
            "2026-11-23T09:05:00Z",
            Some(format!("account {}, site {}", account.id, site.site_id))
        )
    );

    // The confirmation mail waits in the outbox.
    let mails = app.mail_to("jack@example.com").await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(mail.kind, "account.registered");
    assert_eq!(mail.to, "jack@example.com");
    assert!(!mail.subject.is_empty());
    assert!(mail.body.contains("jack.white"), "{}", mail.body);
    assert!(mail.body.contains(key.as_str()), "{}", mail.body);
    assert_eq!(mail.created_at.to_string(), "2026-11-23T09:05:00Z");
    assert!(mail.sent_at.is_none());

    // Operators see the same account.
    let seen: Account = ok(
        app.get(&format!("/api/v1/accounts/{}", account.id)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            seen.username.as_str(),
            seen.company.vat_number.as_str(),
            seen.installations.len()
        ),
        ("jack.white", "IT00743110157", 1)
    );
    assert_eq!(seen.installations[0].site_id, site.site_id);
}

/// The seed's fiscal data: fax, the company's email and consent to commercial information,
/// all optional; stored as given (blank is absent) and shown to the owner and operators.
async fn fiscal_data_is_optional_and_shown_on_the_account(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let mut body = registration("jack", "jack@example.com", IT_VATS[0], &keys[0]);
    body.company.fax = Some(" 001 564546 ".into());
    body.company.company_email = Some("Office@Rossi.example".into());
    body.company.commercial_info = true;
    let account = registered(&app, &body).await;
    assert_eq!(
        (
            account.company.fax.as_deref(),
            account.company.company_email.as_deref(),
            account.company.commercial_info
        ),
        (Some("001 564546"), Some("office@rossi.example"), true)
    );
    let token = account_login(&app, "jack").await;
    let mine = app.api_as(Some(&token)).own_account().await.unwrap();
    assert_eq!(mine.company, account.company);
    let seen = app.api().account(account.id).await.unwrap();
    assert_eq!(seen.company, account.company);

    // Absent or blank: none given, and no consent unless said.
    let mut bare = registration("bob", "bob@example.com", IT_VATS[1], &keys[1]);
    bare.company.fax = Some("  ".into());
    let mut raw = serde_json::to_value(&bare).unwrap();
    let company = raw["company"].as_object_mut().unwrap();
    company.remove("company_email");
    company.remove("commercial_info");
    let bob: Account = ok(post_registration(&app, &raw).await, StatusCode::CREATED).await;
    assert_eq!(
        (
            bob.company.fax,
            bob.company.company_email,
            bob.company.commercial_info
        ),
        (None, None, false)
    );
}
