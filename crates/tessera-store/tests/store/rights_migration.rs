//! Migration 0013 (F5): `sites.operations.view` opened the operations log until the log had
//! its own right; groups that held it are given `operations.view`, so they keep the log.
//! The database is migrated to 0012, given such a group, then opened (which runs 0013).

use std::path::Path;

use tessera_store::{GroupMember, Store};
use tessera_testkit::PgCluster;

/// An account with user 1 in group 1 (the old log right) and user 2 in group 2 (another).
const BEFORE: &[&str] = &[
    "INSERT INTO accounts (id, username, email, password_hash, company_name, company_search, \
     country, vat_number, profile, privacy_accepted_at, privacy_ip, newsletter, created_at, \
     updated_at) VALUES (1, 'anna', 'anna@example.com', 'x', 'A', 'a', 'IT', 'IT1', '{}', 0, \
     '127.0.0.1', FALSE, 0, 0)",
    "INSERT INTO account_users (id, account_id, username, password_hash, created_at) \
     VALUES (1, 1, 'tom', 'x', 0), (2, 1, 'nina', 'x', 0)",
    "INSERT INTO user_groups (id, account_id, name, created_at) \
     VALUES (1, 1, 'log readers', 0), (2, 1, 'billing', 0)",
    "INSERT INTO group_rights (group_id, name) \
     VALUES (1, 'sites.operations.view'), (1, 'sites.technical.edit'), (2, 'invoices.view')",
    "INSERT INTO group_members (group_id, user_id) VALUES (1, 1), (2, 2)",
];

/// The migrations of `backend` before 0013, copied to a directory of their own.
fn migrations_before_0013(backend: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let all = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    for file in std::fs::read_dir(all).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.as_str() < "0013" {
            std::fs::copy(&path, dir.path().join(name)).unwrap();
        }
    }
    dir
}

async fn the_old_log_right_keeps_the_log(store: Store) {
    let tom = store.member_rights(GroupMember::User(1)).await.unwrap();
    assert_eq!(
        tom,
        [
            "operations.view",
            "sites.operations.view",
            "sites.technical.edit"
        ]
    );
    let nina = store.member_rights(GroupMember::User(2)).await.unwrap();
    assert_eq!(nina, ["invoices.view"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&file)
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let migrations = migrations_before_0013("sqlite");
    let migrator = sqlx::migrate::Migrator::new(migrations.path())
        .await
        .unwrap();
    migrator.run(&pool).await.unwrap();
    for sql in BEFORE {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;
    the_old_log_right_keeps_the_log(Store::open_sqlite(&file).await.unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let Some(cluster) = PgCluster::shared() else {
        return;
    };
    let url = cluster.create_database();
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let migrations = migrations_before_0013("postgres");
    let migrator = sqlx::migrate::Migrator::new(migrations.path())
        .await
        .unwrap();
    migrator.run(&pool).await.unwrap();
    for sql in BEFORE {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;
    the_old_log_right_keeps_the_log(Store::open_postgres(&url).await.unwrap()).await;
}
