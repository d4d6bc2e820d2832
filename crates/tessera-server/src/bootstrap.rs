//! First start: the `admin` operator.

use anyhow::Context;
use jiff::Timestamp;
use rand::Rng;
use rand::distributions::Alphanumeric;
use rand::rngs::OsRng;
use tessera_core::Password;
use tessera_store::Store;

pub const ADMIN_USERNAME: &str = "admin";

/// Creates the `admin` operator when the database has none. Returns the generated password
/// when none was configured and this call created the account, so the caller shows it once.
/// Several instances starting together create it once (the insert is conditional).
pub async fn ensure_admin(
    store: &Store,
    configured: Option<&str>,
    now: Timestamp,
) -> anyhow::Result<Option<String>> {
    if store.operator_by_username(ADMIN_USERNAME).await?.is_some() {
        return Ok(None);
    }
    let (password, generated) = match configured {
        Some(p) => (Password::parse(p).context("admin_password")?, false),
        None => {
            let p: String = (0..24)
                .map(|_| OsRng.sample(Alphanumeric) as char)
                .collect();
            (
                Password::parse(&p).expect("24 characters meet the policy"),
                true,
            )
        }
    };
    let hash = crate::sessions::hash_password(password.clone()).await?;
    let created = store
        .create_operator_if_absent(ADMIN_USERNAME, &hash, now)
        .await?;
    Ok((created && generated).then(|| password.expose().to_owned()))
}
