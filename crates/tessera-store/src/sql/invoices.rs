//! Issuing invoices: the gap-free yearly number every invoice takes (the cloud's payments and
//! the monthly services' billing share it), and a month of monthly services issued as one
//! invoice per account and currency.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tessera_api::{Billing, ErrorCode};
use tessera_core::Actor;
use tessera_core::monthly::YearMonth;
use tessera_core::subscription::vat_treatment;

use super::audit::audit;
use super::outbox::{enqueue_mail, recipient};
use super::{Conn, Pools, row_lock};
use crate::invoice::{InvoiceDocument, Invoicing, MonthlyLine};
use crate::{Result, StoreError, mails, to_micros};

/// The next number of the year `now` falls in (in `zone`): the number, its year and its
/// place. Taken in the caller's transaction, so a rollback gives it back (no gap).
pub(crate) async fn next_number(
    conn: &mut Conn,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<(String, i64, i64)> {
    let year = i64::from(now.to_zoned(zone.clone()).year());
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO invoice_sequences (year, last) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last = invoice_sequences.last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut *conn)
    .await?;
    let number = tessera_core::payment::invoice_number(year as i16, seq);
    Ok((number, year, seq))
}

/// Stores the issued `document` under its number; the invoice's id.
pub(crate) async fn insert(
    conn: &mut Conn,
    (number, year, seq): &(String, i64, i64),
    order_id: Option<i64>,
    account_id: i64,
    document: &InvoiceDocument,
    now: Timestamp,
) -> Result<i64> {
    let (total, currency) = (document.total, document.currency.clone());
    let document =
        serde_json::to_string(document).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(sqlx::query_scalar(
        "INSERT INTO invoices \
           (number, year, seq, order_id, account_id, issued_at, document, total, currency) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(number)
    .bind(year)
    .bind(seq)
    .bind(order_id)
    .bind(account_id)
    .bind(to_micros(now))
    .bind(&document)
    .bind(total)
    .bind(currency)
    .fetch_one(&mut *conn)
    .await?)
}

/// Account, month and currency of the invoice lines not yet on an invoice, through `month`.
pub(crate) async fn uninvoiced(db: &Pools, month: &str) -> Result<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT account_id, month, currency FROM invoice_lines \
         WHERE invoice_id IS NULL AND month <= $1 ORDER BY month, account_id, currency",
    )
    .bind(month)
    .fetch_all(db.read())
    .await?)
}

/// An account as its monthly invoice bills it: company, country, VAT number, email, and the
/// registration's company data (JSON) for the address.
type BuyerRow = (String, String, String, String, String);

/// The registration's address, from the account's profile.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Address {
    region: String,
    city: String,
    street: String,
    number: String,
    postcode: String,
}

#[derive(serde::Deserialize)]
struct Profile {
    #[serde(default)]
    company: Address,
}

fn buyer((company, country, vat_number, email, profile): BuyerRow) -> Billing {
    let a = serde_json::from_str::<Profile>(&profile)
        .map(|p| p.company)
        .unwrap_or_default();
    Billing {
        company,
        street: format!("{} {}", a.street, a.number).trim().to_owned(),
        place: a.city,
        postal_code: a.postcode,
        region: Some(a.region).filter(|r| !r.is_empty()),
        country,
        phone: None,
        invoice_email: email,
        // Registration asks for no consent: the mail only says the invoice is in the portal.
        e_invoice_consent: false,
        // Every account registers as a company with its VAT number (B1).
        b2b: true,
        vat_number: Some(vat_number),
    }
}

/// The uninvoiced lines of one account, month and currency, locked: id and what each shows.
async fn lines_of(
    conn: &mut Conn,
    (account_id, month, currency): &(i64, String, String),
) -> Result<Vec<(i64, MonthlyLine)>> {
    let lock = row_lock(" FOR UPDATE OF l");
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT l.id, st.label, v.code, v.name, l.amount FROM invoice_lines l \
         JOIN sites st ON st.id = l.site_id JOIN services v ON v.id = l.service_id \
         WHERE l.account_id = $1 AND l.month = $2 AND l.currency = $3 \
         AND l.invoice_id IS NULL ORDER BY st.label, v.code, l.id{lock}"
    ))
    .bind(account_id)
    .bind(month)
    .bind(currency)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, site, service_code, service_name, amount)| {
            let line = MonthlyLine {
                site,
                service_code,
                service_name,
                amount,
            };
            (id, line)
        })
        .collect())
}

/// Issues one invoice for the uninvoiced lines of `group` (account, month, currency) with the
/// next number, links the lines to it and mails it to the account; the number, or None when
/// there was nothing left to invoice. `VAT_RATE_UNKNOWN` when no rate is configured for the
/// account's country where one is due.
pub(crate) async fn issue_monthly(
    db: &Pools,
    group: &(i64, String, String),
    invoicing: &Invoicing,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<Option<String>> {
    let (account_id, month_key, currency) = group;
    let month = YearMonth::of(
        format!("{month_key}-01")
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("month {month_key:?}: {e}")))?,
    );
    let mut tx = db.begin().await?;
    let lines = lines_of(&mut tx, group).await?;
    if lines.is_empty() {
        return Ok(None);
    }
    let row: BuyerRow = sqlx::query_as(
        "SELECT company_name, country, vat_number, email, profile FROM accounts WHERE id = $1",
    )
    .bind(account_id)
    .fetch_one(&mut *tx)
    .await?;
    let buyer = buyer(row);
    let seller = &invoicing.seller;
    let treatment = vat_treatment(&seller.country, &buyer.country, true, &invoicing.vat_rates)
        .map_err(|_| StoreError::Conflict(ErrorCode::VatRateUnknown))?;
    let number = next_number(&mut tx, zone, now).await?;
    let shown: Vec<MonthlyLine> = lines.iter().map(|(_, l)| l.clone()).collect();
    let today = now.to_zoned(zone.clone()).date();
    let document = InvoiceDocument::monthly(
        &number.0, month, buyer, &shown, currency, treatment, seller, today,
    );
    let id = insert(&mut tx, &number, None, *account_id, &document, now).await?;
    for (line, _) in &lines {
        sqlx::query("UPDATE invoice_lines SET invoice_id = $1 WHERE id = $2")
            .bind(id)
            .bind(line)
            .execute(&mut *tx)
            .await?;
    }
    let to = recipient(&mut tx, *account_id).await?;
    let mail = mails::services_invoice(&to, &document, month_key);
    enqueue_mail(&mut tx, now, &mail).await?;
    let detail = Some(format!("{} {month_key}", number.0));
    audit(
        &mut tx,
        now,
        Actor::System,
        "invoice.issued",
        "account",
        account_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(number.0))
}
