//! Removing a group or a user while a group's members are being set, or a user while it is
//! being disabled (F5): each side either happens before the other or finds the group or user
//! gone (`NotFound`), never a failed query (PostgreSQL locks the groups' and the user's rows;
//! SQLite serializes writers). Disabling a user ends its sessions with it.

use jiff::SignedDuration;
use tessera_core::Actor;
use tessera_store::{SessionKind, Store, StoreError};
use tessera_testkit::PgCluster;

use crate::now;

/// Account 1, stored directly (registration needs a whole catalog).
const ACCOUNT: &[&str] = &[
    "INSERT INTO accounts (id, username, email, password_hash, company_name, company_search, \
     country, vat_number, profile, privacy_accepted_at, privacy_ip, newsletter, created_at, \
     updated_at) VALUES (1, 'anna', 'anna@example.com', 'x', 'A', 'a', 'IT', 'IT1', '{}', 0, \
     '127.0.0.1', FALSE, 0, 0)",
];

async fn races(store: Store) {
    let store = std::sync::Arc::new(store);
    group_removal_races(&store).await;
    user_removal_races(&store).await;
    disabling_races(&store).await;
    disabling_ends_sessions(&store).await;
}

async fn group_removal_races(store: &std::sync::Arc<Store>) {
    let mut users = Vec::new();
    for name in ["tom", "nina"] {
        let id = store.create_user(1, name, "x", &[], &Actor::System, now());
        users.push(id.await.unwrap());
    }
    for round in 0..20 {
        let name = format!("group {round}");
        let group = store
            .create_group(1, &name, &["operations.view"], &Actor::System, now())
            .await
            .unwrap();
        let (a, b) = (store.clone(), store.clone());
        let both = users.clone();
        let members = tokio::spawn(async move {
            a.set_group_members(1, group, &both, None, &Actor::System, now())
                .await
        });
        let removal =
            tokio::spawn(async move { b.delete_group(1, group, &Actor::System, now()).await });
        let (members, removal) = (members.await.unwrap(), removal.await.unwrap());
        removal.unwrap();
        assert!(
            matches!(members, Ok(()) | Err(StoreError::NotFound("group"))),
            "{members:?}"
        );
        assert!(store.groups(1).await.unwrap().is_empty());
        assert!(
            store
                .member_rights(tessera_store::GroupMember::User(users[0]))
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.db");
    let store = Store::open_sqlite(&file).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", file.display()))
        .await
        .unwrap();
    for sql in ACCOUNT {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;
    races(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let Some(cluster) = PgCluster::shared() else {
        return;
    };
    let url = cluster.create_database();
    let store = Store::open_postgres(&url).await.unwrap();
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    for sql in ACCOUNT {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;
    races(store).await;
}

async fn user_removal_races(store: &std::sync::Arc<Store>) {
    let group = store
        .create_group(1, "all", &["operations.view"], &Actor::System, now())
        .await
        .unwrap();
    for round in 0..20 {
        let name = format!("user.{round}");
        let user = store
            .create_user(1, &name, "x", &[], &Actor::System, now())
            .await
            .unwrap();
        let (a, b) = (store.clone(), store.clone());
        let members = tokio::spawn(async move {
            a.set_group_members(1, group, &[user], None, &Actor::System, now())
                .await
        });
        let removal =
            tokio::spawn(async move { b.delete_user(1, user, &Actor::System, now()).await });
        let (members, removal) = (members.await.unwrap(), removal.await.unwrap());
        removal.unwrap();
        assert!(
            matches!(members, Ok(()) | Err(StoreError::NotFound("user"))),
            "{members:?}"
        );
        assert!(store.groups(1).await.unwrap()[0].users.is_empty());
    }
}

/// A user with a live session of token `token`; its id.
async fn signed_in_user(store: &Store, name: &str, token: &str) -> i64 {
    let user = store
        .create_user(1, name, "x", &[], &Actor::System, now())
        .await
        .unwrap();
    let until = now() + SignedDuration::from_hours(1);
    store
        .create_session(SessionKind::User, user, token, now(), until)
        .await
        .unwrap();
    user
}

async fn disabling_races(store: &std::sync::Arc<Store>) {
    for round in 0..20 {
        let token = format!("race {round}");
        let user = signed_in_user(store, &format!("racer.{round}"), &token).await;
        let (a, b) = (store.clone(), store.clone());
        let disabling =
            tokio::spawn(async move { a.disable_user(1, user, &Actor::System, now()).await });
        let removal =
            tokio::spawn(async move { b.delete_user(1, user, &Actor::System, now()).await });
        let (disabling, removal) = (disabling.await.unwrap(), removal.await.unwrap());
        removal.unwrap();
        assert!(
            matches!(disabling, Ok(_) | Err(StoreError::NotFound("user"))),
            "{disabling:?}"
        );
        let session = store.session_principal(SessionKind::User, &token, now());
        assert_eq!(session.await.unwrap(), None);
        assert_eq!(store.user(user).await.unwrap(), None);
    }
}

async fn disabling_ends_sessions(store: &Store) {
    let user = signed_in_user(store, "tina", "tina's token").await;
    let disabled = store
        .disable_user(1, user, &Actor::System, now())
        .await
        .unwrap();
    assert_eq!(disabled.disabled_at, Some(now()));
    let session = store.session_principal(SessionKind::User, "tina's token", now());
    assert_eq!(session.await.unwrap(), None, "the session ended with it");
    let later = now() + SignedDuration::from_mins(5);
    let again = store.disable_user(1, user, &Actor::System, later).await;
    assert_eq!(
        again.unwrap().disabled_at,
        Some(now()),
        "disabled since the first"
    );
    let record = store.user(user).await.unwrap().unwrap();
    assert_eq!(record.disabled_at, Some(now()));
    for answer in [
        store.disable_user(2, user, &Actor::System, now()).await,
        store.enable_user(2, user, &Actor::System, now()).await,
    ] {
        assert!(
            matches!(answer, Err(StoreError::NotFound("user"))),
            "{answer:?}"
        );
    }
    let enabled = store.enable_user(1, user, &Actor::System, now()).await;
    assert_eq!(enabled.unwrap().disabled_at, None);
    let listed = store.users(1).await.unwrap();
    let tina = listed.iter().find(|u| u.id == user).unwrap();
    assert_eq!(tina.disabled_at, None);
}
