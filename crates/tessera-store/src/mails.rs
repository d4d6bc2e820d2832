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

use crate::invoice::InvoiceDocument;
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

/// A monthly service switched on (`on`) or off on `today` at the site labelled `site`
/// (people know their installations by label, not by id).
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

/// The same site's activation data again, on request: the site code as it was, and a new
/// activation code (only the hash of the old one was kept; the old one stops working).
pub(crate) fn cloud_site_codes_again(
    account: &Recipient,
    service: &str,
    site: &CloudSiteRecord,
    codes: &IssuedCodes,
) -> Mail {
    Mail {
        kind: "cloud.site_codes_again",
        ..cloud_site_codes(account, service, site, codes)
    }
}

/// The free trial of `service` started: `seats` sites until `ends` (a day in `zone`).
pub(crate) fn trial_started(
    to: &Recipient,
    service: &str,
    seats: u32,
    months: u32,
    ends: Timestamp,
    zone: &TimeZone,
) -> Mail {
    Mail {
        kind: "trial.started",
        language: to.language,
        to: to.email.clone(),
        context: json!({
            "username": to.username,
            "service": service,
            "seats": seats,
            "months": months,
            "date": day(ends, zone),
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

/// A month of monthly services invoiced: the invoice's number and total, to the account.
pub(crate) fn services_invoice(to: &Recipient, invoice: &InvoiceDocument, month: &str) -> Mail {
    Mail {
        kind: "services.invoice",
        language: to.language,
        to: to.email.clone(),
        context: json!({
            "username": to.username,
            "invoice": invoice.number,
            "month": month,
            "total": money(invoice.total, &invoice.currency),
        }),
    }
}

/// A reminder before a subscription's expiry, or the notice that it expired. A trial (never
/// bought) is told its trial ends and how to buy, not to renew what it never paid for.
pub(crate) fn reminder(due: &ReminderDue, zone: &TimeZone) -> Mail {
    let before = if due.subscription.purchased_at.is_none() {
        "trial.ending"
    } else {
        "subscription.reminder"
    };
    let (kind, days) = match due.kind {
        Reminder::Expired => ("subscription.expired", 0),
        Reminder::Days30 => (before, 30),
        Reminder::Days7 => (before, 7),
        Reminder::Days1 => (before, 1),
    };
    Mail {
        kind,
        language: Language::from_stored(&due.language),
        to: due.email.clone(),
        context: json!({
            "username": due.username,
            "service": due.service_name,
            "date": day(due.subscription.expires_at, zone),
            "days": days,
        }),
    }
}

#[cfg(test)]
mod tests {
    use tessera_core::subscription::SubscriptionState;

    use super::*;

    fn jack() -> Recipient {
        Recipient {
            username: "jack.white".into(),
            email: "jack@example.com".into(),
            language: Language::It,
        }
    }

    fn reminder_due(kind: Reminder) -> ReminderDue {
        ReminderDue {
            subscription: SubscriptionRecord {
                id: 1,
                account_id: 1,
                service: "cloud".into(),
                plan: "cloud-12".into(),
                state: SubscriptionState::Active,
                seats: 3,
                bundle: None,
                trial_started_at: None,
                purchased_at: Some(Timestamp::UNIX_EPOCH),
                starts_at: Timestamp::UNIX_EPOCH,
                expires_at: "2026-12-23T23:30:00Z".parse().unwrap(),
                pending_renewal: None,
                state_note: None,
            },
            kind,
            service_name: "SSM 2.0 Cloud".into(),
            username: "jack.white".into(),
            email: "jack@example.com".into(),
            language: "de".into(),
        }
    }

    #[test]
    fn a_switched_service_shows_its_price_and_the_day() {
        let service = ServiceRecord {
            id: 1,
            code: "support".into(),
            name: "24/7 support".into(),
            monthly_price: 4900,
            currency: "EUR".into(),
            created_at: Timestamp::UNIX_EPOCH,
        };
        let today = jiff::civil::date(2026, 11, 23);
        let on = service_switched(&jack(), true, &service, "Station Milano", today);
        let off = service_switched(&jack(), false, &service, "Station Milano", today);
        assert_eq!(
            (on.kind, off.kind),
            ("service.activated", "service.deactivated")
        );
        assert_eq!(
            (on.language, on.to.as_str()),
            (Language::It, "jack@example.com")
        );
        assert_eq!(
            on.context,
            json!({
                "username": "jack.white",
                "service": "24/7 support",
                "site": "Station Milano",
                "date": "2026-11-23",
                "price": "49.00 EUR",
            })
        );
    }

    #[test]
    fn a_trial_is_told_its_trial_ends_and_then_that_it_expired() {
        let zone = TimeZone::fixed(jiff::tz::offset(1));
        let kinds: Vec<_> = Reminder::ALL
            .into_iter()
            .map(|kind| {
                let mut due = reminder_due(kind);
                due.subscription.state = SubscriptionState::Trialing;
                due.subscription.purchased_at = None;
                reminder(&due, &zone).kind
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "trial.ending",
                "trial.ending",
                "trial.ending",
                "subscription.expired"
            ]
        );
    }

    #[test]
    fn the_trial_mail_says_what_until_when_and_how_many_sites() {
        let zone = TimeZone::fixed(jiff::tz::offset(1));
        let ends = "2027-05-23T23:30:00Z".parse().unwrap();
        let mail = trial_started(&jack(), "SSM 2.0 Cloud", 3, 6, ends, &zone);
        assert_eq!(
            (mail.kind, mail.language, mail.to.as_str()),
            ("trial.started", Language::It, "jack@example.com")
        );
        assert_eq!(
            mail.context,
            json!({
                "username": "jack.white",
                "service": "SSM 2.0 Cloud",
                "seats": 3,
                "months": 6,
                "date": "2027-05-24",
            })
        );
    }

    #[test]
    fn the_reset_mail_carries_the_code_and_its_minutes() {
        let mail = password_reset(&jack(), "c0de", SignedDuration::from_hours(1));
        assert_eq!(mail.kind, "password.reset");
        assert_eq!(mail.context["code"], "c0de");
        assert_eq!(mail.context["valid_minutes"], 60);
        assert!(
            !format!("{mail:?}").contains("c0de"),
            "Debug leaves the context out"
        );
    }

    #[test]
    fn the_paid_mail_goes_to_the_invoice_address_with_the_total_and_the_expiry_day() {
        let order = crate::orders::paid_order();
        let mut sub = reminder_due(Reminder::Days30).subscription;
        sub.expires_at = "2027-11-22T23:30:00Z".parse().unwrap();
        let zone = TimeZone::fixed(jiff::tz::offset(1));
        let mail = subscription_paid(&order, "2026-000001", &sub, &zone).unwrap();
        assert_eq!(mail.kind, "subscription.paid");
        assert_eq!(
            (mail.language, mail.to.as_str()),
            (Language::It, "accounts@rossi.example")
        );
        assert_eq!(
            mail.context,
            json!({
                "username": "jack.white",
                "service": "SSM 2.0 Cloud",
                "invoice": "2026-000001",
                "total": "1098.00 EUR",
                "seats": 3,
                "date": "2027-11-23",
            })
        );
    }

    #[test]
    fn reminders_count_the_days_and_date_the_expiry_in_the_zone() {
        let due = reminder_due;
        let zone = TimeZone::fixed(jiff::tz::offset(1));
        let days: Vec<_> = Reminder::ALL
            .into_iter()
            .map(|kind| {
                let mail = reminder(&due(kind), &zone);
                assert_eq!(mail.language, Language::De);
                assert_eq!(mail.context["date"], "2026-12-24", "a day in the zone");
                (mail.kind, mail.context["days"].as_i64().unwrap())
            })
            .collect();
        assert_eq!(
            days,
            [
                ("subscription.reminder", 30),
                ("subscription.reminder", 7),
                ("subscription.reminder", 1),
                ("subscription.expired", 0),
            ]
        );
    }
}
