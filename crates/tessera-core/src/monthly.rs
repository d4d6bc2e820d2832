//! The billing rule of per-site monthly services (F2): a service is charged from the day it
//! is switched on, the month it is switched on in full whatever the day, and not the month it
//! is switched off in (it stops at once). A service switched on and off within one month costs
//! nothing. Each calendar month is charged at most once per site and service, however often
//! the service was switched on and off in it.

use std::collections::BTreeSet;
use std::fmt;

use jiff::civil::Date;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i16,
    /// 1–12.
    pub month: i8,
}

impl YearMonth {
    pub fn of(date: Date) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> YearMonth {
        if self.month == 1 {
            YearMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).expect("a YearMonth is a valid month")
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// One stretch during which a service was on for a site: from the day it was switched on to
/// the day it was switched off (None: still on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServicePeriod {
    pub on: Date,
    pub off: Option<Date>,
}

impl ServicePeriod {
    /// Whether this stretch makes `month` chargeable: from the month it was switched on, up
    /// to but not including the month it was switched off.
    pub fn charges(&self, month: YearMonth) -> bool {
        let start = YearMonth::of(self.on);
        month >= start && self.off.is_none_or(|off| month < YearMonth::of(off))
    }
}

/// Whether `month` is charged for a site's service with these on/off stretches.
pub fn is_charged(periods: &[ServicePeriod], month: YearMonth) -> bool {
    periods.iter().any(|p| p.charges(month))
}

/// Every month charged from the first switch-on up to and including `through`.
pub fn charged_months(periods: &[ServicePeriod], through: YearMonth) -> BTreeSet<YearMonth> {
    let Some(first) = periods.iter().map(|p| YearMonth::of(p.on)).min() else {
        return BTreeSet::new();
    };
    let mut months = BTreeSet::new();
    let mut month = first;
    while month <= through {
        if is_charged(periods, month) {
            months.insert(month);
        }
        month = month.next();
    }
    months
}

#[cfg(test)]
mod tests {
    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    fn ym(year: i16, month: i8) -> YearMonth {
        YearMonth { year, month }
    }

    fn on_off(on: Date, off: Option<Date>) -> ServicePeriod {
        ServicePeriod { on, off }
    }

    #[test]
    fn months_step_across_years() {
        assert_eq!(ym(2026, 12).next(), ym(2027, 1));
        assert_eq!(ym(2027, 1).previous(), ym(2026, 12));
        assert_eq!(ym(2026, 6).next().previous(), ym(2026, 6));
    }

    #[test]
    fn the_seed_example() {
        // On 31 January, off 10 April: January (in full), February, March; not April.
        let p = [on_off(date(2026, 1, 31), Some(date(2026, 4, 10)))];
        let months: Vec<_> = charged_months(&p, ym(2026, 12)).into_iter().collect();
        assert_eq!(months, vec![ym(2026, 1), ym(2026, 2), ym(2026, 3)]);
    }

    #[test]
    fn on_and_off_in_one_month_costs_nothing() {
        let p = [on_off(date(2026, 3, 1), Some(date(2026, 3, 31)))];
        assert!(charged_months(&p, ym(2027, 1)).is_empty());
    }

    #[test]
    fn still_on_is_charged_every_month_through_the_billing_month() {
        let p = [on_off(date(2025, 11, 20), None)];
        let months: Vec<_> = charged_months(&p, ym(2026, 2)).into_iter().collect();
        assert_eq!(
            months,
            vec![ym(2025, 11), ym(2025, 12), ym(2026, 1), ym(2026, 2)]
        );
    }

    #[test]
    fn back_on_in_the_month_it_went_off_charges_that_month_once() {
        let p = [
            on_off(date(2026, 1, 5), Some(date(2026, 2, 10))),
            on_off(date(2026, 2, 20), None),
        ];
        let months: Vec<_> = charged_months(&p, ym(2026, 3)).into_iter().collect();
        assert_eq!(months, vec![ym(2026, 1), ym(2026, 2), ym(2026, 3)]);
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0i32..3650).prop_map(|d| date(2020, 1, 1).checked_add(d.days()).unwrap())
    }

    /// Up to four stretches, in order and not overlapping, the last possibly still on.
    fn any_history() -> impl Strategy<Value = Vec<ServicePeriod>> {
        (
            prop::collection::vec((1i32..400, 0i32..400), 1..5),
            any::<bool>(),
        )
            .prop_map(|(gaps, still_on)| {
                let mut day = date(2020, 1, 1);
                let mut periods = Vec::new();
                let n = gaps.len();
                for (i, (before, length)) in gaps.into_iter().enumerate() {
                    let on = day.checked_add(before.days()).unwrap();
                    let off = on.checked_add(length.days()).unwrap();
                    let last = i + 1 == n;
                    periods.push(on_off(on, (!(last && still_on)).then_some(off)));
                    day = off;
                }
                periods
            })
    }

    proptest! {
        /// Switching on and off within one calendar month never costs anything.
        #[test]
        fn a_same_month_stretch_is_free(on in any_date(), days in 0i32..31) {
            let off = on.checked_add(days.days()).unwrap();
            prop_assume!(YearMonth::of(off) == YearMonth::of(on));
            let p = [on_off(on, Some(off))];
            prop_assert!(charged_months(&p, ym(2035, 1)).is_empty());
        }

        /// One stretch charges exactly the months from its start up to, not including, the
        /// month it ends in: each once, whatever the days within those months.
        #[test]
        fn one_stretch_charges_each_month_between_once(on in any_date(), length in 0i32..1000) {
            let off = on.checked_add(length.days()).unwrap();
            let p = [on_off(on, Some(off))];
            let months = charged_months(&p, ym(2035, 1));
            let mut expected = BTreeSet::new();
            let mut m = YearMonth::of(on);
            while m < YearMonth::of(off) {
                expected.insert(m);
                m = m.next();
            }
            prop_assert_eq!(months, expected);
            // The day of the month does not matter: moving both ends to the 1st changes nothing.
            let moved = [on_off(YearMonth::of(on).first_day(), Some(YearMonth::of(off).first_day()))];
            prop_assert_eq!(charged_months(&moved, ym(2035, 1)), charged_months(&p, ym(2035, 1)));
        }

        /// A history charges the union of its stretches' months, never a month before the
        /// first switch-on, never a month wholly after a final switch-off, and is charged
        /// through the billing month while still on.
        #[test]
        fn a_history_charges_the_union(periods in any_history()) {
            let through = ym(2035, 12);
            let months = charged_months(&periods, through);
            let mut union = BTreeSet::new();
            for p in &periods {
                union.extend(charged_months(std::slice::from_ref(p), through));
            }
            prop_assert_eq!(&months, &union);
            let first = YearMonth::of(periods[0].on);
            prop_assert!(months.iter().all(|m| *m >= first));
            match periods.last().unwrap().off {
                Some(off) => prop_assert!(months.iter().all(|m| *m < YearMonth::of(off))),
                None => prop_assert!(months.contains(&through)),
            }
            // The service stops at once: the month it is switched off for good is free.
            if let Some(off) = periods.last().unwrap().off {
                prop_assert!(!is_charged(&periods, YearMonth::of(off)));
            }
        }
    }
}
