//! Cloud-service subscriptions (E): the rules that need no database — the term a payment
//! buys (E3), the states and their stable reason codes (E4), the reminders before expiry,
//! and how VAT applies to an invoice (E2). Rates are configuration, passed in.

use std::collections::BTreeMap;

use jiff::{Timestamp, ToSpan, tz::TimeZone};

/// Where a subscription stands, with the stable code sync and web access report (E4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriptionState {
    /// The free trial runs.
    Trialing,
    /// Paid and within its term.
    Active,
    /// The term ended without a renewal.
    Expired,
    /// Kept read-only by the vendor (e.g. during a migration).
    Maintenance,
    /// Stopped by the vendor (unpaid, abuse).
    Blocked,
    /// Removed; its data is gone.
    Deleted,
}

impl SubscriptionState {
    pub const ALL: [SubscriptionState; 6] = [
        SubscriptionState::Trialing,
        SubscriptionState::Active,
        SubscriptionState::Expired,
        SubscriptionState::Maintenance,
        SubscriptionState::Blocked,
        SubscriptionState::Deleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionState::Trialing => "trialing",
            SubscriptionState::Active => "active",
            SubscriptionState::Expired => "expired",
            SubscriptionState::Maintenance => "maintenance",
            SubscriptionState::Blocked => "blocked",
            SubscriptionState::Deleted => "deleted",
        }
    }

    /// The state as of `now`: a trial or a paid term past its expiry is expired even before
    /// the job has written it down.
    pub fn effective(self, expires_at: Timestamp, now: Timestamp) -> SubscriptionState {
        match self {
            SubscriptionState::Trialing | SubscriptionState::Active if now >= expires_at => {
                SubscriptionState::Expired
            }
            other => other,
        }
    }
}

/// Why a subscription cannot be used now (E4): each state that blocks sync and web access,
/// with its own code on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    #[error("the subscription has expired; renew it to go on")]
    Expired,
    #[error("the subscription is under maintenance")]
    Maintenance,
    #[error("the subscription is blocked; contact the vendor")]
    Blocked,
    #[error("the subscription was deleted")]
    Deleted,
}

impl SubscriptionState {
    /// Whether the service may be used in this state, or why not.
    pub fn usable(self) -> Result<(), Unusable> {
        match self {
            SubscriptionState::Trialing | SubscriptionState::Active => Ok(()),
            SubscriptionState::Expired => Err(Unusable::Expired),
            SubscriptionState::Maintenance => Err(Unusable::Maintenance),
            SubscriptionState::Blocked => Err(Unusable::Blocked),
            SubscriptionState::Deleted => Err(Unusable::Deleted),
        }
    }
}

/// What an operator may set a subscription to (E4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateChange {
    /// Back to trialing or active (by whether it was ever bought).
    Resume,
    Maintenance,
    Blocked,
    /// Final: its sites are released.
    Deleted,
}

/// The state an operator's `change` gives a subscription now in `current` (`purchased`:
/// it was bought at least once). A deleted subscription stays deleted.
pub fn change_state(
    current: SubscriptionState,
    purchased: bool,
    change: StateChange,
) -> Result<SubscriptionState, Unusable> {
    if current == SubscriptionState::Deleted {
        return Err(Unusable::Deleted);
    }
    Ok(match change {
        StateChange::Resume if purchased => SubscriptionState::Active,
        StateChange::Resume => SubscriptionState::Trialing,
        StateChange::Maintenance => SubscriptionState::Maintenance,
        StateChange::Blocked => SubscriptionState::Blocked,
        StateChange::Deleted => SubscriptionState::Deleted,
    })
}

/// Why the free trial cannot start (E1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TrialRefused {
    #[error("this plan has no free trial")]
    NoTrial,
    #[error("the account has used its free trial; it is given once")]
    Used,
    #[error("the account has bought the service; the free trial is over")]
    AfterPurchase,
}

/// May the account start the free trial of a plan with `trial_months`? `existing` is the
/// account's subscription to the service, if it ever had one, by its first purchase: the
/// trial is given once, and never after a purchase.
pub fn decide_trial(
    trial_months: u32,
    existing: Option<Option<Timestamp>>,
) -> Result<(), TrialRefused> {
    if trial_months == 0 {
        return Err(TrialRefused::NoTrial);
    }
    match existing {
        Some(Some(_purchased)) => Err(TrialRefused::AfterPurchase),
        Some(None) => Err(TrialRefused::Used),
        None => Ok(()),
    }
}

impl std::str::FromStr for SubscriptionState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SubscriptionState::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown subscription state {s:?}"))
    }
}

/// The term a payment at `paid_at` buys, `months` long (12 for the yearly cloud plan): a
/// renewal before expiry extends from the old expiry, so no paid day is lost; one after
/// expiry (or a first purchase) runs from the payment. Calendar months in `zone`: a term
/// bought on 31 January ends on the last day of the month `months` later, not beyond.
pub fn term(
    current_expiry: Option<Timestamp>,
    paid_at: Timestamp,
    months: i32,
    zone: &TimeZone,
) -> (Timestamp, Timestamp) {
    let starts = match current_expiry {
        Some(expiry) if expiry > paid_at => expiry,
        _ => paid_at,
    };
    let ends = starts
        .to_zoned(zone.clone())
        .checked_add(months.months())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX);
    (starts, ends)
}

/// A reminder of an expiry (E4): 30, 7 and 1 day before, and on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reminder {
    Days30,
    Days7,
    Days1,
    Expired,
}

impl Reminder {
    pub const ALL: [Reminder; 4] = [
        Reminder::Days30,
        Reminder::Days7,
        Reminder::Days1,
        Reminder::Expired,
    ];

    /// How long before the expiry it is due.
    fn lead_days(self) -> i64 {
        match self {
            Reminder::Days30 => 30,
            Reminder::Days7 => 7,
            Reminder::Days1 => 1,
            Reminder::Expired => 0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Reminder::Days30 => "30_days",
            Reminder::Days7 => "7_days",
            Reminder::Days1 => "1_day",
            Reminder::Expired => "expired",
        }
    }

    /// The latest reminder due at `now` for `expires_at`: the job sends it if it has not
    /// been sent (a missed day sends only the latest one, never a stale "30 days" after
    /// the "7 days").
    pub fn due(expires_at: Timestamp, now: Timestamp) -> Option<Reminder> {
        Reminder::ALL
            .into_iter()
            .rev()
            .find(|r| now >= expires_at - (r.lead_days() * 24).hours())
    }
}

/// How VAT applies to one invoice (E2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatTreatment {
    /// VAT at this rate (basis points: 2200 is 22 %).
    Charged { rate_bp: u32 },
    /// EU business customer with a VAT number in another member state: the customer
    /// accounts for the VAT ("reverse charge"), the invoice shows none.
    ReverseCharge,
    /// Customer outside the EU: no EU VAT.
    OutsideEu,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VatRuleError {
    #[error("no VAT rate is configured for {0}")]
    NoRate(String),
}

/// The EU member states by ISO code (Greece as `GR`).
pub const EU: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

fn in_eu(country: &str) -> bool {
    EU.contains(&country)
}

/// The treatment of a sale by a seller in `seller_country` to a customer in
/// `buyer_country`, business (`b2b`, with a VAT number) or not, with `rates` (country →
/// basis points) from the configuration:
/// - same country: the seller's rate;
/// - another EU country, business with a VAT number: reverse charge;
/// - another EU country, consumer: the customer's country rate (electronically supplied
///   services are taxed where the consumer is, declared through the OSS);
/// - outside the EU: none.
pub fn vat_treatment(
    seller_country: &str,
    buyer_country: &str,
    b2b_with_vat_number: bool,
    rates: &BTreeMap<String, u32>,
) -> Result<VatTreatment, VatRuleError> {
    let rate = |country: &str| {
        rates
            .get(country)
            .copied()
            .map(|rate_bp| VatTreatment::Charged { rate_bp })
            .ok_or_else(|| VatRuleError::NoRate(country.to_owned()))
    };
    if buyer_country == seller_country {
        rate(seller_country)
    } else if !in_eu(buyer_country) {
        Ok(VatTreatment::OutsideEu)
    } else if b2b_with_vat_number {
        Ok(VatTreatment::ReverseCharge)
    } else {
        rate(buyer_country)
    }
}

/// The VAT on `net` minor units at `rate_bp` basis points, rounded half up to the minor unit.
pub fn vat_amount(net: i64, rate_bp: u32) -> i64 {
    let product = i128::from(net) * i128::from(rate_bp);
    let rounded = (product + 5_000 * product.signum()) / 10_000;
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

impl VatTreatment {
    pub fn as_str(self) -> &'static str {
        match self {
            VatTreatment::Charged { .. } => "charged",
            VatTreatment::ReverseCharge => "reverse_charge",
            VatTreatment::OutsideEu => "outside_eu",
        }
    }

    /// The rate applied, in basis points (0 when none is charged).
    pub fn rate_bp(self) -> u32 {
        match self {
            VatTreatment::Charged { rate_bp } => rate_bp,
            VatTreatment::ReverseCharge | VatTreatment::OutsideEu => 0,
        }
    }

    /// What the invoice must say about a treatment stored as [`VatTreatment::as_str`].
    pub fn note_of(stored: &str) -> Option<&'static str> {
        match stored {
            "reverse_charge" => VatTreatment::ReverseCharge.note(),
            "outside_eu" => VatTreatment::OutsideEu.note(),
            _ => None,
        }
    }

    /// What the invoice must say when it charges none.
    pub fn note(self) -> Option<&'static str> {
        match self {
            VatTreatment::Charged { .. } => None,
            VatTreatment::ReverseCharge => Some(
                "Reverse charge: VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC)",
            ),
            VatTreatment::OutsideEu => Some("Outside the scope of EU VAT"),
        }
    }
}

/// What an order costs, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amounts {
    pub net: i64,
    pub vat: i64,
    pub total: i64,
}

/// `quantity` sites at `unit_price` each, with VAT as `treatment` says (rounded once, on
/// the net total, as the invoice shows it).
pub fn amounts(unit_price: i64, quantity: u32, treatment: VatTreatment) -> Amounts {
    let net = unit_price.saturating_mul(i64::from(quantity));
    let vat = vat_amount(net, treatment.rate_bp());
    Amounts {
        net,
        vat,
        total: net.saturating_add(vat),
    }
}

/// The enabled sites (earliest enabled first) a new term drops (E3): those not in `keep`, or
/// without a list, those beyond the first `seats`.
pub fn sites_to_drop<'a>(
    enabled: &'a [String],
    keep: Option<&[String]>,
    seats: u32,
) -> Vec<&'a String> {
    match keep {
        Some(keep) => enabled.iter().filter(|s| !keep.contains(s)).collect(),
        None => enabled.iter().skip(seats as usize).collect(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn operators_resume_to_what_was_bought_and_deletion_is_final() {
        use super::SubscriptionState as S;
        let resumed = |purchased| change_state(S::Blocked, purchased, StateChange::Resume);
        assert_eq!(resumed(true), Ok(S::Active));
        assert_eq!(resumed(false), Ok(S::Trialing));
        assert_eq!(
            change_state(S::Active, true, StateChange::Maintenance),
            Ok(S::Maintenance)
        );
        assert_eq!(
            change_state(S::Expired, false, StateChange::Deleted),
            Ok(S::Deleted)
        );
        for change in [
            StateChange::Resume,
            StateChange::Blocked,
            StateChange::Deleted,
        ] {
            assert_eq!(
                change_state(S::Deleted, true, change),
                Err(Unusable::Deleted)
            );
        }
    }

    #[test]
    fn the_trial_is_given_once_and_never_after_a_purchase() {
        let bought: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(decide_trial(6, None), Ok(()));
        assert_eq!(decide_trial(6, Some(None)), Err(TrialRefused::Used));
        assert_eq!(
            decide_trial(6, Some(Some(bought))),
            Err(TrialRefused::AfterPurchase)
        );
        assert_eq!(decide_trial(0, None), Err(TrialRefused::NoTrial));
    }

    #[test]
    fn only_trialing_and_active_are_usable() {
        for state in SubscriptionState::ALL {
            assert_eq!(
                state.usable().is_ok(),
                matches!(
                    state,
                    SubscriptionState::Trialing | SubscriptionState::Active
                ),
                "{state:?}"
            );
        }
    }

    #[test]
    fn a_new_term_drops_what_it_does_not_keep() {
        let enabled: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let keep = ["c".to_owned(), "a".to_owned()];
        assert_eq!(sites_to_drop(&enabled, Some(&keep), 2), ["b"]);
        assert_eq!(sites_to_drop(&enabled, None, 2), ["c"]);
        assert!(sites_to_drop(&enabled, None, 5).is_empty());
        assert_eq!(sites_to_drop(&enabled, Some(&[]), 5).len(), 3);
    }

    use proptest::prelude::*;

    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn renewal_before_expiry_extends_from_the_old_expiry() {
        let (starts, ends) = term(
            Some(ts("2027-03-01T00:00:00Z")),
            ts("2027-02-10T09:00:00Z"),
            12,
            &TimeZone::UTC,
        );
        assert_eq!(starts, ts("2027-03-01T00:00:00Z"));
        assert_eq!(ends, ts("2028-03-01T00:00:00Z"));
    }

    #[test]
    fn renewal_after_expiry_runs_from_the_payment() {
        let paid = ts("2027-04-15T09:00:00Z");
        let (starts, ends) = term(Some(ts("2027-03-01T00:00:00Z")), paid, 12, &TimeZone::UTC);
        assert_eq!((starts, ends), (paid, ts("2028-04-15T09:00:00Z")));
        // A first purchase likewise.
        assert_eq!(term(None, paid, 12, &TimeZone::UTC).0, paid);
    }

    #[test]
    fn a_term_from_the_31st_ends_on_the_last_day_it_can() {
        let (_, ends) = term(None, ts("2027-01-31T10:00:00Z"), 1, &TimeZone::UTC);
        assert_eq!(ends, ts("2027-02-28T10:00:00Z"));
    }

    #[test]
    fn reminders_come_30_7_1_days_before_and_on_the_day() {
        let exp = ts("2027-03-01T00:00:00Z");
        let at = |days: i64| exp - (days * 24).hours();
        assert_eq!(Reminder::due(exp, at(31)), None);
        assert_eq!(Reminder::due(exp, at(30)), Some(Reminder::Days30));
        assert_eq!(Reminder::due(exp, at(8)), Some(Reminder::Days30));
        assert_eq!(Reminder::due(exp, at(7)), Some(Reminder::Days7));
        assert_eq!(Reminder::due(exp, at(1)), Some(Reminder::Days1));
        assert_eq!(Reminder::due(exp, exp), Some(Reminder::Expired));
        assert_eq!(
            Reminder::due(exp, exp + 100.hours()),
            Some(Reminder::Expired)
        );
    }

    #[test]
    fn a_term_past_its_expiry_is_expired_before_the_job_runs() {
        let exp = ts("2027-03-01T00:00:00Z");
        let before = exp - 1.hours();
        assert_eq!(
            SubscriptionState::Active.effective(exp, before),
            SubscriptionState::Active
        );
        assert_eq!(
            SubscriptionState::Active.effective(exp, exp),
            SubscriptionState::Expired
        );
        assert_eq!(
            SubscriptionState::Trialing.effective(exp, exp),
            SubscriptionState::Expired
        );
        assert_eq!(
            SubscriptionState::Blocked.effective(exp, exp),
            SubscriptionState::Blocked
        );
        for st in SubscriptionState::ALL {
            assert_eq!(st.as_str().parse::<SubscriptionState>(), Ok(st));
        }
    }

    fn rates() -> BTreeMap<String, u32> {
        [("IT".to_owned(), 2200), ("DE".to_owned(), 1900)].into()
    }

    #[test]
    fn vat_follows_where_the_customer_is() {
        let t = |buyer, b2b| vat_treatment("IT", buyer, b2b, &rates());
        assert_eq!(t("IT", true), Ok(VatTreatment::Charged { rate_bp: 2200 }));
        assert_eq!(t("IT", false), Ok(VatTreatment::Charged { rate_bp: 2200 }));
        assert_eq!(t("DE", true), Ok(VatTreatment::ReverseCharge));
        assert_eq!(t("DE", false), Ok(VatTreatment::Charged { rate_bp: 1900 }));
        assert_eq!(t("CH", true), Ok(VatTreatment::OutsideEu));
        assert_eq!(t("US", false), Ok(VatTreatment::OutsideEu));
        assert_eq!(t("FR", false), Err(VatRuleError::NoRate("FR".into())));
    }

    #[test]
    fn vat_rounds_half_up_to_the_cent() {
        assert_eq!(vat_amount(10_000, 2200), 2_200);
        assert_eq!(vat_amount(4_900, 2200), 1_078);
        assert_eq!(vat_amount(25, 2200), 6); // 5.5 → 6
        assert_eq!(vat_amount(-25, 2200), -6); // credit notes mirror invoices
        assert_eq!(vat_amount(1, 1900), 0); // 0.19 → 0
    }

    #[test]
    fn an_order_is_priced_per_site_with_vat_on_the_total() {
        let it = amounts(30_000, 3, VatTreatment::Charged { rate_bp: 2200 });
        assert_eq!(
            it,
            Amounts {
                net: 90_000,
                vat: 19_800,
                total: 109_800
            }
        );
        let rc = amounts(30_000, 3, VatTreatment::ReverseCharge);
        assert_eq!((rc.vat, rc.total), (0, 90_000));
        assert!(VatTreatment::ReverseCharge.note().is_some());
        assert!(VatTreatment::Charged { rate_bp: 2200 }.note().is_none());
    }

    proptest! {
        /// A renewal never shortens what was paid for: the new term starts at the later of
        /// the old expiry and the payment, and a yearly term is 365 or 366 days.
        #[test]
        fn renewals_lose_no_paid_day(expiry in 0i64..2_000_000_000, paid in 0i64..2_000_000_000) {
            let expiry = Timestamp::from_second(expiry).unwrap();
            let paid = Timestamp::from_second(paid).unwrap();
            let (starts, ends) = term(Some(expiry), paid, 12, &TimeZone::UTC);
            prop_assert_eq!(starts, expiry.max(paid));
            prop_assert!(ends > starts);
            let days = ends.duration_since(starts).as_hours() / 24;
            prop_assert!((365..=366).contains(&days), "{days} days");
        }

        /// VAT is within half a cent of the exact amount.
        #[test]
        fn vat_is_exact_to_half_a_cent(net in 0i64..10_000_000_000, rate in 0u32..10_000) {
            let exact = net as f64 * f64::from(rate) / 10_000.0;
            prop_assert!((vat_amount(net, rate) as f64 - exact).abs() <= 0.5 + 1e-6);
        }
    }
}
