//! The mail each change queues, made by pure functions from what the change's transaction
//! read: which template (`kind`), to whom, in the account's language, and the names the
//! template uses (those of the server's `mail/templates/<language>/<kind>.txt`). Values are
//! given as every language shows them: amounts with their currency, dates as calendar days
//! in the vendor's zone. The server renders the text when it sends the message.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use tessera_core::money::money;
use tessera_core::subscription::Reminder;
use tessera_core::{Language, ProductKey};

use crate::outbox::Mail;
use crate::{
    CloudSiteRecord, IssuedCodes, NewAccount, OrderRecord, ReminderDue, Result, ServiceRecord,
    StoreError, SubscriptionRecord,
};

/// Whom mail about an account goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recipient {
    pub username: String,
    pub email: String,
    pub language: Language,
}

/// `t` as a calendar day in `zone`.
fn day(t: Timestamp, zone: &TimeZone) -> String {
    t.to_zoned(zone.clone()).date().to_string()
}

/// The confirmation of a registration with its first key.
pub(crate) fn account_registered(account: &NewAccount, account_id: i64, key: &ProductKey) -> Mail {
    Mail {
        kind: "account.registered",
        language: Language::from_stored(&account.language),
        to: account.email.clone(),
        context: json!({
            "username": account.username,
            "account_id": account_id,
            "product_key": key.to_string(),
        }),
    }
}

/// The password-reset `code`, which works for `valid`.
pub(crate) fn password_reset(to: &Recipient, code: &str, valid: SignedDuration) -> Mail {
    Mail {
        kind: "password.reset",
        language: to.language,
        to: to.email.clone(),
        context: json!({
            "username": to.username,
            "code": code,
            "valid_minutes": valid.as_mins(),
        }),
    }
}

/// A monthly service switched on (`on`) or off at the site labelled `site` on `today`.
pub(crate) fn service_switched(
    to: &Recipient,
    on: bool,
    service: &ServiceRecord,
    site: &str,
    today: Date,
) -> Mail {
    Mail {
        kind: if on {
            "service.activated"
        } else {
            "service.deactivated"
        },
        language: to.language,
        to: to.email.clone(),
        context: json!({
            "username": to.username,
            "service": service.name,
            "site": site,
            "date": today.to_string(),
            "price": money(service.monthly_price, &service.currency),
        }),
    }
}

/// An enabled site's codes, to its representative; `service` is the name people know the
/// service by.
pub(crate) fn cloud_site_codes(
    account: &Recipient,
    service: &str,
    site: &CloudSiteRecord,
    codes: &IssuedCodes,
) -> Mail {
    Mail {
        kind: "cloud.site_codes",
        language: account.language,
        to: site.email.clone().unwrap_or_default(),
        context: json!({
            "username": account.username,
            "service": service,
            "site": site.label,
            "activation_code": codes.activation_code,
            "site_code": codes.site_code,
        }),
    }
}

/// The confirmation of a paid order with its invoice `number`, to the invoice address.
pub(crate) fn subscription_paid(
    order: &OrderRecord,
    number: &str,
    subscription: &SubscriptionRecord,
    zone: &TimeZone,
) -> Result<Mail> {
    let billing: tessera_api::Billing = serde_json::from_str(&order.billing)
        .map_err(|e| StoreError::Corrupt(format!("order {} billing: {e}", order.id)))?;
    Ok(Mail {
        kind: "subscription.paid",
        language: Language::from_stored(&order.account_language),
        to: billing.invoice_email,
        context: json!({
            "username": order.account_username,
            "service": order.plan_name,
            "invoice": number,
            "total": money(order.total, &order.currency),
            "seats": subscription.seats,
            "date": day(subscription.expires_at, zone),
        }),
    })
}

/// A reminder before a subscription's expiry, or the notice that it expired.
pub(crate) fn reminder(due: &ReminderDue, zone: &TimeZone) -> Mail {
    let (kind, days) = match due.kind {
        Reminder::Expired => ("subscription.expired", 0),
        Reminder::Days30 => ("subscription.reminder", 30),
        Reminder::Days7 => ("subscription.reminder", 7),
        Reminder::Days1 => ("subscription.reminder", 1),
    };
    Mail {
        kind,
        language: Language::from_stored(&due.language),
        to: due.email.clone(),
        context: json!({
            "username": due.username,
            "service": due.subscription.service,
            "date": day(due.subscription.expires_at, zone),
            "days": days,
        }),
    }
}
