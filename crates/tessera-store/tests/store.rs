//! Storage behaviour that HTTP cannot reach directly: rollbacks after a failure in the middle
//! of a transaction, and concurrent writers. Each test runs on SQLite and PostgreSQL.

use jiff::Timestamp;
use tessera_core::catalog::Entry;
use tessera_core::{Actor, Code, NewProduct, ProductKey};
use tessera_store::{Store, StoreError};
use tessera_testkit::PgCluster;

fn now() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

fn entry(code: &str) -> Entry {
    Entry {
        code: Code::parse(code).unwrap(),
        name: code.to_uppercase(),
    }
}

fn product(code: &str, editions: &[&str]) -> NewProduct {
    NewProduct {
        code: Code::parse(code).unwrap(),
        name: code.into(),
        editions: editions.iter().map(|e| entry(e)).collect(),
        sizes: vec![(entry("s5"), [(Code::parse("drivers").unwrap(), 5)].into())],
        modules: vec![],
        policy: Default::default(),
    }
}

async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (
        Store::open_sqlite(&dir.path().join("t.db")).await.unwrap(),
        dir,
    )
}

async fn postgres() -> Option<Store> {
    let url = PgCluster::shared()?.create_database();
    Some(Store::open_postgres(&url).await.unwrap())
}

/// The product row is written, then the second edition violates UNIQUE: nothing remains.
async fn failed_product_leaves_nothing(store: Store) {
    let err = store
        .create_product(&product("crm", &["a", "b", "a"]), &Actor::System, now())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict(tessera_api::ErrorCode::EditionExists)
        ),
        "{err:?}"
    );
    assert!(matches!(
        store.product("crm").await,
        Err(StoreError::NotFound("product"))
    ));
    assert!(store.products().await.unwrap().is_empty());
    // The same code is free for a correct definition.
    let ok = store
        .create_product(&product("crm", &["a", "b"]), &Actor::System, now())
        .await
        .unwrap();
    assert_eq!(ok.editions.len(), 2);
}

/// A product "fuel" (edition "std", size "s5") and a batch of `requested` keys for it.
async fn batch_of(store: &Store, requested: u32) -> tessera_store::BatchRecord {
    store
        .create_product(&product("fuel", &["std"]), &Actor::System, now())
        .await
        .unwrap();
    let r = store
        .resolve_product_ref("fuel", "std", "s5")
        .await
        .unwrap();
    store
        .create_batch(r, requested, None, &Actor::System, now())
        .await
        .unwrap()
}

/// Fills racing for the last places of a batch: the batch never holds more keys than ordered,
/// and a refused fill leaves none of its keys behind.
async fn concurrent_fills_never_overfill(store: Store) {
    let batch = batch_of(&store, 3_000).await;
    let mut tasks = Vec::new();
    for seed in 0..5u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            use rand::SeedableRng;
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let keys: Vec<_> = (0..1_000).map(|_| ProductKey::generate(&mut rng)).collect();
            store
                .fill_batch(batch.id, &keys, &Actor::System, now())
                .await
        }));
    }
    let mut filled = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(n) => filled += n,
            Err(StoreError::Conflict(tessera_api::ErrorCode::BatchFull)) => refused += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((filled, refused), (3_000, 2));
    let batch = store.batch(batch.id).await.unwrap();
    assert_eq!(batch.generated, 3_000);
    let stored = store.batch_keys(batch.id, 0, 10_000).await.unwrap();
    assert_eq!(stored.len(), 3_000, "refused fills left no keys");
}

/// A key that exists already is skipped, not duplicated, and the count says so.
async fn duplicate_keys_are_skipped(store: Store) {
    let batch = batch_of(&store, 10).await;
    use rand::SeedableRng;
    let key = ProductKey::generate(&mut rand::rngs::StdRng::seed_from_u64(1));
    assert_eq!(
        store
            .fill_batch(batch.id, &[key], &Actor::System, now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .fill_batch(batch.id, &[key], &Actor::System, now())
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.batch(batch.id).await.unwrap().generated, 1);
}

macro_rules! both_backends {
    ($($name:ident),*) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (store, _dir) = super::sqlite().await;
                super::$name(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(store) = super::postgres().await else { return };
                super::$name(store).await;
            }
        }
    )*};
}

/// A job's period is claimed once: a second holder gets nothing while the first holds its
/// lease or after it finished; a failed run is taken over once its retry time comes; a run
/// whose holder outlived its lease cannot record over the new holder's.
async fn job_periods_are_claimed_once(store: Store) {
    use jiff::SignedDuration;
    use tessera_store::RunEnd;
    let t0 = now();
    let lease = |t: Timestamp| t + SignedDuration::from_mins(5);
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-23", "a", t0, lease(t0))
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-23", "b", t0, lease(t0))
            .await
            .unwrap(),
        None,
        "held by a"
    );
    // Another period of the same job, and the same period of another job, are separate.
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-24", "b", t0, lease(t0))
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        store
            .claim_job_run("mail", "2026-11-23", "b", t0, lease(t0))
            .await
            .unwrap(),
        Some(1)
    );

    // a fails; b takes over only when the retry is due.
    let retry_at = t0 + SignedDuration::from_mins(1);
    let failed = RunEnd::Failed {
        error: "boom".into(),
        retry_at,
    };
    assert!(
        store
            .finish_job_run("purge", "2026-11-23", "a", t0, &failed, None)
            .await
            .unwrap()
    );
    let early = t0 + SignedDuration::from_secs(30);
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-23", "b", early, lease(early))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-23", "b", retry_at, lease(retry_at))
            .await
            .unwrap(),
        Some(2)
    );
    // a, which lost the claim, cannot record; b can.
    let done = RunEnd::Done {
        detail: "ok".into(),
    };
    assert!(
        !store
            .finish_job_run("purge", "2026-11-23", "a", retry_at, &done, None)
            .await
            .unwrap()
    );
    assert!(
        store
            .finish_job_run("purge", "2026-11-23", "b", retry_at, &done, None)
            .await
            .unwrap()
    );
    // Finished: nobody claims it again, even long after.
    let later = t0 + SignedDuration::from_hours(20);
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-23", "a", later, lease(later))
            .await
            .unwrap(),
        None
    );
    let runs = store.job_runs(Some("purge"), 10).await.unwrap();
    let run = runs.iter().find(|r| r.period == "2026-11-23").unwrap();
    assert_eq!(
        (run.holder.as_str(), run.attempts, run.outcome.as_str()),
        ("b", 2, "done")
    );
    assert_eq!(run.detail.as_deref(), Some("ok"));
}

/// Eight holders race for one period: exactly one gets it.
async fn racing_claims_grant_one(store: Store) {
    let t = now();
    let mut tasks = tokio::task::JoinSet::new();
    for holder in 0..8 {
        let store = store.clone();
        tasks.spawn(async move {
            store
                .claim_job_run(
                    "race",
                    "p",
                    &format!("h{holder}"),
                    t,
                    t + jiff::SignedDuration::from_mins(5),
                )
                .await
                .unwrap()
        });
    }
    let mut granted = 0;
    while let Some(claim) = tasks.join_next().await {
        granted += usize::from(claim.unwrap().is_some());
    }
    assert_eq!(granted, 1);
}

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

both_backends!(
    failed_product_leaves_nothing,
    concurrent_fills_never_overfill,
    duplicate_keys_are_skipped,
    job_periods_are_claimed_once,
    racing_claims_grant_one,
    mail_claims_exclude_each_other
);
