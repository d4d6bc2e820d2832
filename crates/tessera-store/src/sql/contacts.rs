//! An account's profile changes and its further contacts.

use jiff::Timestamp;
use tessera_core::Actor;

use super::Pools;
use super::audit::audit;
use crate::contacts::{ContactRow, NewContact, ProfileChange};
use crate::{Result, StoreError, to_micros};

/// Replaces the account's company name and profile (the VAT number, username and email stay).
pub(crate) async fn update_profile(
    db: &Pools,
    account_id: i64,
    change: &ProfileChange,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE accounts SET company_name = $1, company_search = $2, profile = $3, \
         updated_at = $4 WHERE id = $5",
    )
    .bind(&change.company_name)
    .bind(change.company_name.to_lowercase())
    .bind(&change.profile)
    .bind(to_micros(now))
    .bind(account_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(StoreError::NotFound("account"));
    }
    audit(
        &mut tx,
        now,
        actor,
        "account.updated",
        "account",
        account_id,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the language the account's mail is written in; an audit row only when it changed.
pub(crate) async fn set_language(
    db: &Pools,
    account_id: i64,
    language: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<bool> {
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE accounts SET language = $1, updated_at = $2 WHERE id = $3 AND language <> $1",
    )
    .bind(language)
    .bind(to_micros(now))
    .bind(account_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 1 {
        audit(
            &mut tx,
            now,
            actor,
            "account.language_set",
            "account",
            account_id,
            Some(language.to_owned()),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed == 1)
}

/// Adds a contact unless the account has `max` already; its id, or None when full.
pub(crate) async fn add_contact(
    db: &Pools,
    account_id: i64,
    contact: &NewContact,
    max: u32,
    actor: &Actor,
    now: Timestamp,
) -> Result<Option<i64>> {
    let mut tx = db.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO account_contacts (account_id, first_name, last_name, email, mobile, \
         created_at) SELECT $1, $2, $3, $4, $5, $6 \
         WHERE (SELECT COUNT(*) FROM account_contacts WHERE account_id = $1) < $7 \
         RETURNING id",
    )
    .bind(account_id)
    .bind(&contact.first_name)
    .bind(&contact.last_name)
    .bind(&contact.email)
    .bind(&contact.mobile)
    .bind(to_micros(now))
    .bind(i64::from(max))
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = id {
        let detail = Some(format!("contact {id}"));
        audit(
            &mut tx,
            now,
            actor,
            "account.contact_added",
            "account",
            account_id,
            detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The account's further contacts, oldest first.
pub(crate) async fn contacts(db: &Pools, account_id: i64) -> Result<Vec<ContactRow>> {
    Ok(sqlx::query_as::<_, ContactRow>(
        "SELECT id, first_name, last_name, email, mobile, created_at FROM account_contacts \
         WHERE account_id = $1 ORDER BY id",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?)
}

/// Removes one of the account's contacts; another account's is not found.
pub(crate) async fn remove_contact(
    db: &Pools,
    account_id: i64,
    contact_id: i64,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let removed = sqlx::query("DELETE FROM account_contacts WHERE id = $1 AND account_id = $2")
        .bind(contact_id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed != 1 {
        return Err(StoreError::NotFound("contact"));
    }
    let detail = Some(format!("contact {contact_id}"));
    audit(
        &mut tx,
        now,
        actor,
        "account.contact_removed",
        "account",
        account_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
