//! Web users from synced data (H2), inside the transaction that writes a record: a record
//! that is a web user gets a site user at the site it came from (no usable password until
//! its invitation code is used: the code is mailed, kept hashed); renamed, its site user
//! follows; unmarked or deleted, its site user is removed (sessions and rights with it).

use std::collections::{HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use tessera_core::Language;
use tessera_core::sync::{Collection, WebUser};

use super::super::Conn;
use super::super::outbox::enqueue_mails;
use super::{At, ROWS, push_union};
use crate::mails::Recipient;
use crate::outbox::Mail;
use crate::site_users::NO_PASSWORD_YET;
use crate::{Result, StoreError, to_micros};
use tessera_api::ErrorCode;

/// How long an invitation code works.
pub(crate) const INVITATION_VALID: SignedDuration = SignedDuration::from_hours(24 * 7);

/// The symbols of an invitation code (no 0/O, 1/I/L): 20 of them, about 99 bits.
const SYMBOLS: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..20)
        .map(|i| {
            let c = SYMBOLS[rng.gen_range(0..SYMBOLS.len())] as char;
            if i > 0 && i % 5 == 0 {
                format!("-{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// An invitation code as it is kept and looked up: upper case, without dashes or spaces,
/// SHA-256, hex.
pub(crate) fn code_hash(code: &str) -> String {
    let normalized: String = code
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(Sha256::digest(normalized.as_bytes()))
}

/// A web user's site user: its row, its site's row, its name.
pub(crate) type Linked = (i64, i64, String);

/// The site users the `records` (collection row and owner, then record id; sorted) of the
/// account are linked to, in one statement.
pub(crate) async fn links(
    conn: &mut Conn,
    account_id: i64,
    records: &[((i64, &str, &str), &str)],
) -> Result<HashMap<(i64, String, String), Linked>> {
    let mut found = HashMap::new();
    for chunk in records.chunks(ROWS) {
        let mut q = sqlx::QueryBuilder::new("");
        push_union(
            &mut q,
            chunk,
            "SELECT w.collection_id, w.owner, w.record_id, u.id, u.site_id, u.username \
             FROM sync_web_users w JOIN site_users u ON u.id = w.site_user_id",
            "w.record_id",
            |q, &(c, o, _)| {
                q.push("w.account_id = ").push_bind(account_id);
                q.push(" AND w.collection_id = ").push_bind(c);
                q.push(" AND w.owner = ").push_bind(o);
            },
        );
        let rows: Vec<(i64, String, String, i64, i64, String)> = q
            .build_query_as()
            .persistent(false)
            .fetch_all(&mut *conn)
            .await?;
        for (c, o, id, user, site, name) in rows {
            found.insert((c, o, id), (user, site, name));
        }
    }
    Ok(found)
}

/// Brings the site user of the record at `at` in line with its new `data` (None: deleted).
pub(crate) async fn follow(
    conn: &mut Conn,
    at: At<'_>,
    collection: &Collection,
    data: Option<&Map<String, Value>>,
    origin_site: &str,
    now: Timestamp,
) -> Result<()> {
    if collection.web_user_field.is_none() {
        return Ok(());
    }
    let record = [((at.collection_id, at.owner, ""), at.record_id)];
    let linked = links(conn, at.account_id, &record)
        .await?
        .into_values()
        .next();
    if let Some(user) = follow_linked(conn, collection, data, linked).await? {
        create(
            conn,
            at.account_id,
            origin_site,
            &[NewWebUser { at, user }],
            now,
        )
        .await?;
    }
    Ok(())
}

/// A record that is a web user and has no site user yet.
pub(crate) struct NewWebUser<'a> {
    pub at: At<'a>,
    pub user: WebUser,
}

/// [`follow`], the record's site user (if it has one) read already, except that a web user
/// without one is not made but returned: [`create`] makes a batch's at once.
pub(crate) async fn follow_linked(
    conn: &mut Conn,
    collection: &Collection,
    data: Option<&Map<String, Value>>,
    existing: Option<Linked>,
) -> Result<Option<WebUser>> {
    if collection.web_user_field.is_none() {
        return Ok(None);
    }
    let wanted = data.and_then(|d| collection.web_user(d));
    match (wanted, existing) {
        (None, None) => Ok(None),
        (None, Some((id, _, _))) => {
            // No longer a web user: the site user goes, with its sessions, groups and
            // invitation (its link too, by cascade).
            sqlx::query("DELETE FROM site_user_sessions WHERE site_user_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM site_users WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            Ok(None)
        }
        (Some(user), Some((id, site_row, name))) => {
            let names = [user.username.as_str()];
            if user.username != name && taken(conn, site_row, &names).await?.is_empty() {
                sqlx::query("UPDATE site_users SET username = $1 WHERE id = $2")
                    .bind(&user.username)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(None)
        }
        (Some(user), None) => Ok(Some(user)),
    }
}

/// Makes a site user at `origin_site` for each of `new` (records of the account that site
/// pushed), links it to its record and mails its invitation: a statement per table for up
/// to [`ROWS`] users. A user whose name is taken at the site (by a site user made in the
/// portal, or by an earlier one of `new`) is left alone: its record gets no web access of
/// its own.
pub(crate) async fn create(
    conn: &mut Conn,
    account_id: i64,
    origin_site: &str,
    new: &[NewWebUser<'_>],
    now: Timestamp,
) -> Result<()> {
    if new.is_empty() {
        return Ok(());
    }
    let Some(site) = inviting_site(conn, account_id, origin_site).await? else {
        return Ok(());
    };
    let names: Vec<&str> = new.iter().map(|n| n.user.username.as_str()).collect();
    let mut taken = taken(conn, site.row, &names).await?;
    let mut made = Vec::with_capacity(new.len());
    for n in new {
        if taken.insert(n.user.username.clone()) {
            made.push(n);
        } else {
            tracing::warn!(site = origin_site, "a web user's name is taken at its site");
        }
    }
    for chunk in made.chunks(ROWS) {
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO site_users (site_id, username, password_hash, created_at) ",
        );
        q.push_values(chunk, |mut row, n| {
            row.push_bind(site.row)
                .push_bind(n.user.username.as_str())
                .push_bind(NO_PASSWORD_YET)
                .push_bind(to_micros(now));
        });
        // A name a site user made in the portal took since the look-up above (the portal
        // does not wait for the account's sync lock) is skipped like one taken before.
        // The order of the rows returned is not promised: they are matched by name, unique
        // at the site.
        q.push(" ON CONFLICT (site_id, username) DO NOTHING RETURNING id, username");
        let ids: HashMap<String, i64> = q
            .build_query_as::<(i64, String)>()
            .persistent(false)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|(id, name)| (name, id))
            .collect();
        let mut linked = Vec::with_capacity(ids.len());
        let mut invited = Vec::with_capacity(ids.len());
        for n in chunk {
            let Some(&site_user_id) = ids.get(&n.user.username) else {
                tracing::warn!(site = origin_site, "a web user's name is taken at its site");
                continue;
            };
            linked.push((n.at, site_user_id));
            invited.push(Invited {
                site_user_id,
                username: &n.user.username,
                email: n.user.email.clone(),
            });
        }
        if linked.is_empty() {
            continue;
        }
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO sync_web_users (account_id, collection_id, owner, record_id, \
               site_user_id) ",
        );
        q.push_values(&linked, |mut row, (at, site_user_id)| {
            row.push_bind(account_id)
                .push_bind(at.collection_id)
                .push_bind(at.owner)
                .push_bind(at.record_id)
                .push_bind(*site_user_id);
        });
        q.build().persistent(false).execute(&mut *conn).await?;
        invite(conn, &site, invited, now).await?;
    }
    Ok(())
}

/// The site web users are invited to: its row, its label and site code, and the account's
/// superadmin (who gets the mail of a web user without an address).
struct InvitingSite {
    row: i64,
    label: String,
    site_code: Option<String>,
    account: Recipient,
}

/// The account's site `site_id` as [`InvitingSite`], in one statement; None for a site of
/// another account or none.
async fn inviting_site(
    conn: &mut Conn,
    account_id: i64,
    site_id: &str,
) -> Result<Option<InvitingSite>> {
    let found: Option<(i64, String, Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.label, c.site_code, a.username, a.email, a.language FROM sites s \
         JOIN accounts a ON a.id = s.account_id \
         LEFT JOIN cloud_sites c ON c.site_id = s.id \
         WHERE s.public_id = $1 AND s.account_id = $2",
    )
    .bind(site_id)
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.map(
        |(row, label, site_code, username, email, language)| InvitingSite {
            row,
            label,
            site_code,
            account: Recipient {
                username,
                email,
                language: Language::from_stored(&language),
            },
        },
    ))
}

/// A web user an invitation is mailed for.
struct Invited<'a> {
    site_user_id: i64,
    username: &'a str,
    /// The record's mail address; without one the account's superadmin gets the mail.
    email: Option<String>,
}

/// Makes an invitation code for each of the site's `users` (valid [`INVITATION_VALID`],
/// kept hashed) and mails it with the site code: a statement for the codes and one for the
/// mails. The addresses they went to.
async fn invite(
    conn: &mut Conn,
    site: &InvitingSite,
    users: Vec<Invited<'_>>,
    now: Timestamp,
) -> Result<Vec<String>> {
    let codes: Vec<String> = users.iter().map(|_| new_code()).collect();
    let mut q = sqlx::QueryBuilder::new(
        "INSERT INTO site_user_invitations (token_hash, site_user_id, created_at, expires_at) ",
    );
    q.push_values(users.iter().zip(&codes), |mut row, (user, code)| {
        row.push_bind(code_hash(code))
            .push_bind(user.site_user_id)
            .push_bind(to_micros(now))
            .push_bind(to_micros(now + INVITATION_VALID));
    });
    q.build().persistent(false).execute(&mut *conn).await?;
    let mails: Vec<Mail> = users
        .into_iter()
        .zip(codes)
        .map(|(user, code)| {
            let to_user = user.email.is_some();
            Mail {
                kind: "site_user.invitation",
                language: site.account.language,
                to: user.email.unwrap_or_else(|| site.account.email.clone()),
                context: json!({
                    "username": user.username,
                    "site": site.label,
                    "site_code": site.site_code.as_deref().unwrap_or_default(),
                    "code": code,
                    "valid_days": INVITATION_VALID.as_hours() / 24,
                    "to_user": to_user,
                    "account": site.account.username,
                }),
            }
        })
        .collect();
    enqueue_mails(conn, now, &mails).await?;
    Ok(mails.into_iter().map(|m| m.to).collect())
}

/// A site user and, for a web user, the record it came from.
type WebUserRow = (i64, String, Option<i64>, Option<String>, Option<String>);

/// Mails the web user `user_id` of the account's site `site_id` a new invitation: the codes
/// it had stop working, and using the new one sets its password (a forgotten one too). The
/// address it went to; `USER_NOT_FOUND` for a user of another account or site,
/// `NOT_A_WEB_USER` for one made in the portal (its password is the superadmin's to set).
pub(crate) async fn reinvite(
    db: &super::super::Pools,
    account_id: i64,
    site_id: &str,
    user_id: i64,
    now: Timestamp,
) -> Result<String> {
    let mut tx = db.begin().await?;
    let site = inviting_site(&mut tx, account_id, site_id)
        .await?
        .ok_or(StoreError::NotFound("user"))?;
    let found: Option<WebUserRow> = sqlx::query_as(
        "SELECT u.id, u.username, w.collection_id, w.owner, w.record_id FROM site_users u \
         LEFT JOIN sync_web_users w ON w.site_user_id = u.id \
         WHERE u.id = $1 AND u.site_id = $2",
    )
    .bind(user_id)
    .bind(site.row)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, username, collection_id, owner, record_id)) = found else {
        return Err(StoreError::NotFound("user"));
    };
    let (Some(collection_id), Some(owner), Some(record_id)) = (collection_id, owner, record_id)
    else {
        return Err(StoreError::Conflict(ErrorCode::NotAWebUser));
    };
    let row: Option<super::collections::Row> = sqlx::query_as(&format!(
        "SELECT {} FROM sync_collections c WHERE c.id = $1",
        super::collections::COLUMNS
    ))
    .bind(collection_id)
    .fetch_optional(&mut *tx)
    .await?;
    let collection = row
        .map(super::collections::record)
        .transpose()?
        .ok_or(StoreError::NotFound("collection"))?
        .collection;
    let data: Option<Option<String>> = sqlx::query_scalar(
        "SELECT data FROM sync_records \
         WHERE account_id = $1 AND collection_id = $2 AND owner = $3 AND record_id = $4",
    )
    .bind(account_id)
    .bind(collection_id)
    .bind(&owner)
    .bind(&record_id)
    .fetch_optional(&mut *tx)
    .await?;
    let data: Option<Map<String, Value>> = data
        .flatten()
        .map(|d| serde_json::from_str(&d))
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("record data: {e}")))?;
    let email = data
        .as_ref()
        .and_then(|d| collection.web_user(d))
        .and_then(|w| w.email);
    sqlx::query("DELETE FROM site_user_invitations WHERE site_user_id = $1 AND used_at IS NULL")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let invited = Invited {
        site_user_id: id,
        username: &username,
        email,
    };
    let to = invite(&mut tx, &site, vec![invited], now).await?;
    tx.commit().await?;
    to.into_iter()
        .next()
        .ok_or_else(|| StoreError::Corrupt("no invitation was mailed".into()))
}

/// Those of `names` that site users of the site `site_row` hold.
async fn taken(conn: &mut Conn, site_row: i64, names: &[&str]) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in names.chunks(ROWS) {
        let mut q = sqlx::QueryBuilder::new("SELECT username FROM site_users WHERE site_id = ");
        q.push_bind(site_row).push(" AND username IN (");
        let mut list = q.separated(", ");
        for name in chunk {
            list.push_bind(*name);
        }
        q.push(")");
        let rows: Vec<String> = q
            .build_query_scalar()
            .persistent(false)
            .fetch_all(&mut *conn)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// Uses an invitation code: the site user it was made for gets `password_hash`. None for a
/// code that is unknown, used or expired. Two uses at once: one wins.
pub(crate) async fn accept(
    db: &super::super::Pools,
    code: &str,
    password_hash: &str,
    now: Timestamp,
) -> Result<Option<(i64, String, String)>> {
    let mut tx = db.begin().await?;
    let user: Option<i64> = sqlx::query_scalar(
        "UPDATE site_user_invitations SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING site_user_id",
    )
    .bind(to_micros(now))
    .bind(code_hash(code))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user) = user else {
        return Ok(None);
    };
    sqlx::query("UPDATE site_users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let who: (i64, String, String) = sqlx::query_as(
        "SELECT s.account_id, s.public_id, u.username FROM site_users u \
         JOIN sites s ON s.id = u.site_id WHERE u.id = $1",
    )
    .bind(user)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(who))
}
