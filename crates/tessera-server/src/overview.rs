//! The overview of all sites (H3) as a use case: every site the reader may see with its
//! licence, the cloud subscription it is enabled in, the monthly services on, its alarms
//! (decided by `tessera_core::alarms`) and the days until its client locks; and the daily
//! figures of the charts. A handful of queries for the whole account, whatever its size.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use tessera_api::ErrorCode;
use tessera_core::SiteStatus;
use tessera_core::alarms::{Alarm, CloudFacts, SiteFacts, days_until_lock, site_alarms};
use tessera_core::subscription::SubscriptionState;
use tessera_core::sync::{StatusFacts, SyncState, sync_state};
use tessera_store::{AccountSyncState, SiteView, SubscriptionRecord, VALIDATIONS, sites_in};

use crate::actors::{AccountUser, PortalUser};
use crate::error::ApiResult;
use crate::state::AppState;

/// How far back a refused payment still raises the account's alarm.
const REFUSED_PAYMENT_DAYS: i64 = 30;

/// Where an enabled site's cloud sync stands (G5), and why it cannot sync when it cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteSync {
    pub state: SyncState,
    pub reason: Option<ErrorCode>,
}

/// One site on the overview.
#[derive(Debug, Clone)]
pub struct SiteOverview {
    pub site: SiteView,
    /// The cloud subscription the site is enabled in: its service, state now and end.
    pub cloud: Option<(String, SubscriptionState, Timestamp)>,
    /// Its sync, while it is enabled in the cloud.
    pub sync: Option<SiteSync>,
    /// Codes of the monthly services on now.
    pub services: Vec<String>,
    pub alarms: Vec<Alarm>,
    pub lock_in_days: Option<i64>,
}

/// The overview of the reader's sites.
#[derive(Debug, Clone)]
pub struct Overview {
    pub sites: Vec<SiteOverview>,
    /// Payments the provider took in the last 30 days that could not be applied (none shown
    /// to a site user).
    pub refused_payments: i64,
}

/// Every site `me` may see (a site user: its own), with what the overview shows of it.
pub async fn overview(app: &AppState, me: &PortalUser) -> ApiResult<Overview> {
    let now = app.clock.now();
    let store = &app.store;
    let sites = store.cached_account_sites(me.id).await?;
    let checked: BTreeMap<String, Timestamp> =
        store.last_validations(me.id).await?.into_iter().collect();
    let since = now - SignedDuration::from_hours(24 * REFUSED_PAYMENT_DAYS);
    let extras = store.account_extras(me.id, since).await?;
    let subscriptions: BTreeMap<i64, SubscriptionRecord> = store
        .subscriptions(Some(me.id))
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let sync = store.account_sync_state(me.id).await?;
    let mut services: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (site, code) in &extras.services_on {
        services.entry(site).or_default().push(code.clone());
    }
    let enabled: BTreeMap<&str, i64> = extras
        .enabled
        .iter()
        .map(|(site, sub)| (site.as_str(), *sub))
        .collect();
    let rows = sites
        .sites
        .iter()
        .filter(|s| me.site().is_none_or(|mine| mine == s.public_id))
        .map(|cached| {
            let mut site = cached.clone();
            site.last_validated_at = checked.get(&site.public_id).copied();
            let sub = enabled
                .get(site.public_id.as_str())
                .and_then(|id| subscriptions.get(id));
            let facts = SiteFacts {
                status: site.status,
                activated_at: site.activated_at,
                last_validated_at: site.last_validated_at,
                grace_days: site.grace_days,
                expires_at: site.expires_at,
                cloud: sub.map(|s| CloudFacts {
                    state: s.state_at(now),
                    expires_at: s.expires_at,
                    mismatch: s
                        .bundle
                        .as_ref()
                        .is_some_and(|b| b.edition != site.edition || b.size != site.size),
                }),
            };
            SiteOverview {
                sync: facts
                    .cloud
                    .as_ref()
                    .map(|cloud| site_sync(&sync, &site.public_id, cloud, now)),
                alarms: site_alarms(&facts, now),
                lock_in_days: days_until_lock(&facts, now),
                cloud: sub.map(|s| (s.service.clone(), s.state_at(now), s.expires_at)),
                services: services.remove(site.public_id.as_str()).unwrap_or_default(),
                site: site.clone(),
            }
        })
        .collect();
    Ok(Overview {
        sites: rows,
        refused_payments: if me.site().is_some() {
            0
        } else {
            extras.refused_payments
        },
    })
}

/// Where the sync of the enabled site `site` stands, from the account's sync state and
/// the subscription it is enabled in: as the site's own status route decides it, less the
/// client's clock (which only the site's program knows).
fn site_sync(sync: &AccountSyncState, site: &str, cloud: &CloudFacts, now: Timestamp) -> SiteSync {
    let (first_synced, pulled_to) = sync.progress.get(site).cloned().unwrap_or((None, 0));
    let lease = sync.lease.as_ref().filter(|l| l.live(now));
    let reason = cloud
        .state
        .usable()
        .err()
        .map(ErrorCode::from)
        .or(cloud.mismatch.then_some(ErrorCode::CloudLicenseMismatch))
        .or(lease
            .filter(|l| l.site != site && first_synced.is_none())
            .map(|_| ErrorCode::AnotherSiteSyncing));
    let state = sync_state(StatusFacts {
        connected: sync.connected.contains(site),
        refused: reason.is_some(),
        holds_lease: lease.is_some_and(|l| l.site == site),
        open_conflicts: sync.open_conflicts.get(site).copied().unwrap_or(0),
        behind: sync.latest_version > pulled_to,
    });
    SiteSync {
        reason: reason.filter(|_| state == SyncState::Error),
        state,
    }
}

/// The charts' figures: one value per day for the last `days` days (today last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charts {
    /// `YYYY-MM-DD`, oldest first.
    pub days: Vec<String>,
    pub validations: Vec<i64>,
    /// Sites per licence state, by state (`active`, …), one value per day.
    pub states: BTreeMap<&'static str, Vec<i64>>,
}

/// The account's daily figures over the last `days` days. Today's sites per state are
/// counted now; earlier days read what the `stats` job wrote (0 where it had not run).
pub async fn charts(app: &AppState, me: &AccountUser, days: u16) -> ApiResult<Charts> {
    let today = app.clock.now().to_zoned(app.zone.clone()).date();
    let first = today
        .checked_sub(jiff::Span::new().days(i64::from(days.max(1)) - 1))
        .map_err(anyhow::Error::from)?;
    let all: Vec<String> = (0..days.max(1))
        .filter_map(|i| first.checked_add(jiff::Span::new().days(i64::from(i))).ok())
        .map(|d| d.to_string())
        .collect();
    let figures = app.store.daily_counts(me.id, &first.to_string()).await?;
    let series = |metric: &str| -> Vec<i64> {
        all.iter()
            .map(|day| {
                figures
                    .iter()
                    .find(|f| f.metric == metric && &f.day == day)
                    .map_or(0, |f| f.value)
            })
            .collect()
    };
    let mut states = BTreeMap::new();
    let sites = app.store.cached_account_sites(me.id).await?;
    for status in [
        SiteStatus::Registered,
        SiteStatus::Active,
        SiteStatus::Deactivated,
        SiteStatus::Suspended,
    ] {
        let mut values = series(&sites_in(status.as_str()));
        if let Some(last) = values.last_mut() {
            *last = sites.sites.iter().filter(|s| s.status == status).count() as i64;
        }
        states.insert(status.as_str(), values);
    }
    Ok(Charts {
        validations: series(VALIDATIONS),
        days: all,
        states,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_core::sync::Lease;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// Two connected sites: `a` first-synced and up to date, `b` not yet synced.
    fn account(lease: Option<Lease>) -> AccountSyncState {
        AccountSyncState {
            latest_version: 4,
            lease,
            connected: ["a".to_owned(), "b".to_owned()].into(),
            progress: [("a".to_owned(), (Some(at("2026-05-01T00:00:00Z")), 4))].into(),
            open_conflicts: BTreeMap::new(),
        }
    }

    fn cloud(state: SubscriptionState, mismatch: bool) -> CloudFacts {
        CloudFacts {
            state,
            expires_at: at("2026-11-01T00:00:00Z"),
            mismatch,
        }
    }

    /// Every reason the overview can tell (G5; the client's clock only its program knows),
    /// the subscription's before the site's own licence before another site's first sync.
    #[test]
    fn each_reason_a_site_cannot_sync_is_told() {
        let now = at("2026-06-01T12:00:00Z");
        let plain = account(None);
        let told = |sync: &AccountSyncState, site: &str, c: CloudFacts| {
            let s = site_sync(sync, site, &c, now);
            (s.state, s.reason)
        };
        let ok = cloud(SubscriptionState::Trialing, false);
        assert_eq!(told(&plain, "a", ok), (SyncState::Idle, None));
        for (state, code) in [
            (SubscriptionState::Expired, ErrorCode::SubscriptionExpired),
            (
                SubscriptionState::Maintenance,
                ErrorCode::SubscriptionMaintenance,
            ),
            (SubscriptionState::Blocked, ErrorCode::SubscriptionBlocked),
            (SubscriptionState::Deleted, ErrorCode::SubscriptionDeleted),
        ] {
            assert_eq!(
                told(&plain, "a", cloud(state, true)),
                (SyncState::Error, Some(code))
            );
        }
        assert_eq!(
            told(&plain, "a", cloud(SubscriptionState::Active, true)),
            (SyncState::Error, Some(ErrorCode::CloudLicenseMismatch))
        );
        // `a` runs its first sync (again): `b`, never synced, waits; `a` uploads.
        let leased = account(Some(Lease {
            site: "a".into(),
            started_at: now,
            expires_at: now + SignedDuration::from_secs(120),
        }));
        assert_eq!(
            told(&leased, "b", ok),
            (SyncState::Error, Some(ErrorCode::AnotherSiteSyncing))
        );
        assert_eq!(told(&leased, "a", ok), (SyncState::Uploading, None));
        // A lease run out holds no one back.
        let later = site_sync(&leased, "b", &ok, now + SignedDuration::from_mins(3));
        assert_eq!(later.reason, None);
    }
}
