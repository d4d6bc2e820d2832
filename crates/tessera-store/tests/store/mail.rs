//! The mail outbox: one sender holds a message at a time.

use crate::*;

both_backends!(mail_claims_exclude_each_other);

/// A message is claimed by one sender at a time, until its hold runs out.
async fn mail_claims_exclude_each_other(store: Store) {
    use jiff::SignedDuration;
    use tessera_store::Delivery;
    let t = now();
    store
        .create_product(&product("fuel", &["std"]), &Actor::System, t)
        .await
        .unwrap();
    let id = queue_one_mail(&store).await;
    let due = store.due_mail(t, 10).await.unwrap();
    assert_eq!(due.iter().map(|m| m.id).collect::<Vec<_>>(), vec![id]);
    let hold = t + SignedDuration::from_mins(2);
    assert!(store.claim_mail(id, t, hold).await.unwrap());
    assert!(!store.claim_mail(id, t, hold).await.unwrap(), "held");
    assert!(
        store.due_mail(t, 10).await.unwrap().is_empty(),
        "held mail is not due"
    );
    // The sender died: after the hold another takes it, defers it.
    assert!(
        store
            .claim_mail(id, hold, hold + SignedDuration::from_mins(2))
            .await
            .unwrap()
    );
    let retry_at = hold + SignedDuration::from_mins(10);
    store
        .record_delivery(
            id,
            hold,
            &Delivery::Deferred {
                error: "421 busy".into(),
                retry_at,
            },
        )
        .await
        .unwrap();
    assert!(
        store.due_mail(hold, 10).await.unwrap().is_empty(),
        "waits for its retry"
    );
    let again = store.due_mail(retry_at, 10).await.unwrap();
    assert_eq!((again[0].attempts, again[0].state()), (1, "queued"));
    assert_eq!(again[0].last_error.as_deref(), Some("421 busy"));
    assert!(
        store
            .claim_mail(id, retry_at, retry_at + SignedDuration::from_mins(2))
            .await
            .unwrap()
    );
    store
        .record_delivery(id, retry_at, &Delivery::Sent)
        .await
        .unwrap();
    assert!(
        !store
            .claim_mail(id, retry_at + SignedDuration::from_hours(1), retry_at)
            .await
            .unwrap(),
        "sent mail is never claimed again"
    );
    let listed = store
        .outbox(tessera_store::OutboxFilter::Sent, None, 10)
        .await
        .unwrap();
    assert_eq!((listed[0].attempts, listed[0].state()), (2, "sent"));
    assert_eq!(store.outbox_counts().await.unwrap(), (0, 1, 0));
}

/// Registers an account (which queues its welcome mail) and returns the mail's id.
async fn queue_one_mail(store: &Store) -> i64 {
    let batch = store
        .create_batch(
            store
                .resolve_product_ref("fuel", "std", "s5")
                .await
                .unwrap(),
            1,
            None,
            &Actor::System,
            now(),
        )
        .await
        .unwrap();
    let key = ProductKey::generate(&mut rand::thread_rng());
    store
        .fill_batch(batch.id, &[key], &Actor::System, now())
        .await
        .unwrap();
    let account = tessera_store::NewAccount {
        username: "mailtest".into(),
        email: "mail@example.com".into(),
        password_hash: "x".into(),
        company_name: "ACME".into(),
        country: "IT".into(),
        vat_number: "IT00743110157".into(),
        profile: "{}".into(),
        privacy_ip: "127.0.0.1".into(),
        newsletter: false,
        language: "de".into(),
    };
    store
        .register_account(&account, &key, "{}", &"0".repeat(32), now())
        .await
        .unwrap();
    let queued = store.mail_to("mail@example.com").await.unwrap();
    // Queued as its template's key, language and context, to be rendered when sent.
    let template = queued[0].template.as_ref().unwrap();
    assert_eq!(queued[0].kind, "account.registered");
    assert_eq!(template.language, tessera_core::Language::De);
    let context: serde_json::Value = serde_json::from_str(&template.context).unwrap();
    assert_eq!(context["username"], "mailtest");
    assert_eq!(context["product_key"], key.to_string());
    assert!(queued[0].subject.is_empty() && queued[0].body.is_empty());
    queued[0].id
}
