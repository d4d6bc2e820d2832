//! The operators' fleet dashboard as a use case (the console's `/operator/fleet`, the API's
//! `GET /api/v1/fleet`, `tessera fleet`): every figure read from the database, so every
//! instance shows the same; the store aggregates, nothing here walks the sites.

use std::collections::BTreeMap;

use jiff::SignedDuration;
use tessera_api::{
    ErrorCode, Fleet, FleetActiveSites, FleetDay, FleetExpiring, FleetJob, FleetOutbox,
    FleetRevenueMonth, FleetTrialMonth,
};
use tessera_core::SiteStatus;
use tessera_core::fleet::{EXPIRING_DAYS, OVERDUE_DAYS, months_back, overdue_before};
use tessera_store::{FleetQuery, VALIDATIONS, sites_in};

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::jobs::Job;
use crate::overview::Charts;
use crate::state::AppState;

/// Months of trials and revenue shown.
const MONTHS: u8 = 12;
/// Subscriptions running out listed at most.
const EXPIRING_LIMIT: u32 = 100;

/// The days `[today - days + 1, today]` in the server's time zone, oldest first.
fn days_back(app: &AppState, days: u16) -> ApiResult<Vec<String>> {
    let today = app.clock.now().to_zoned(app.zone.clone()).date();
    let first = today
        .checked_sub(jiff::Span::new().days(i64::from(days.max(1)) - 1))
        .map_err(anyhow::Error::from)?;
    Ok((0..days.max(1))
        .filter_map(|i| first.checked_add(jiff::Span::new().days(i64::from(i))).ok())
        .map(|d| d.to_string())
        .collect())
}

/// `n` within `1..=max`, else 422 `FIELD_INVALID` at `field`.
fn within(n: Option<u16>, default: u16, max: u16, field: &str) -> ApiResult<u16> {
    let n = n.unwrap_or(default);
    if (1..=max).contains(&n) {
        Ok(n)
    } else {
        Err(ApiError::invalid(
            ErrorCode::FieldInvalid,
            field,
            format!("{field} must be 1 to {max}"),
        ))
    }
}

/// The dashboard now: sites counted overdue after `overdue_days` (7 when None; 1–365) days
/// without a check, validations of the last `days` days (30 when None; 1–366).
pub async fn fleet(
    app: &AppState,
    _op: &Operator,
    overdue_days: Option<u16>,
    days: Option<u16>,
) -> ApiResult<Fleet> {
    let overdue_days = within(overdue_days, OVERDUE_DAYS, 365, "overdue_days")?;
    let days = within(days, 30, 366, "days")?;
    let now = app.clock.now();
    let query = FleetQuery {
        now,
        overdue_before: overdue_before(now, overdue_days),
        months: months_back(now, &app.zone, MONTHS),
        expiring_until: now + SignedDuration::from_hours(24 * EXPIRING_DAYS),
        expiring_limit: EXPIRING_LIMIT,
    };
    let f = app.store.fleet_figures(&query).await?;
    let all_days = days_back(app, days)?;
    let counted: BTreeMap<String, i64> = app
        .store
        .fleet_daily_counts(&all_days[0])
        .await?
        .into_iter()
        .filter(|c| c.metric == VALIDATIONS)
        .map(|c| (c.day, c.value))
        .collect();
    let failures: BTreeMap<String, i64> = f.job_failures.into_iter().collect();
    let mut jobs = Vec::new();
    for job in Job::ALL {
        let spec = job.spec();
        let last = app
            .store
            .job_runs(Some(spec.name), 1)
            .await?
            .into_iter()
            .next();
        jobs.push(FleetJob {
            job: spec.name.to_owned(),
            last_started_at: last.as_ref().map(|r| r.started_at.to_string()),
            last_outcome: last.as_ref().map(|r| r.outcome.clone()),
            last_detail: last.and_then(|r| r.detail),
            next_run_at: spec.cadence.next_start(now, &app.zone).to_string(),
            failures: failures.get(spec.name).copied().unwrap_or(0),
        });
    }
    Ok(Fleet {
        at: now.to_string(),
        active_total: f.active.iter().map(|a| a.sites).sum(),
        active_sites: f
            .active
            .into_iter()
            .map(|a| FleetActiveSites {
                product: a.product,
                product_name: a.product_name,
                edition: a.edition,
                edition_name: a.edition_name,
                sites: a.sites,
            })
            .collect(),
        validations: all_days
            .into_iter()
            .map(|day| FleetDay {
                validations: counted.get(&day).copied().unwrap_or(0),
                day,
            })
            .collect(),
        overdue_days,
        overdue: f.overdue,
        locked: f.locked,
        trials: f
            .trials
            .into_iter()
            .map(|t| FleetTrialMonth {
                month: t.month,
                started: t.started,
                converted: t.converted,
            })
            .collect(),
        revenue: f
            .revenue
            .into_iter()
            .map(|r| FleetRevenueMonth {
                month: r.month,
                currency: r.currency,
                invoices: r.invoices,
                total: r.total,
            })
            .collect(),
        expiring: f
            .expiring
            .into_iter()
            .map(|e| FleetExpiring {
                subscription_id: e.id,
                account_id: e.account_id,
                username: e.username,
                company: e.company,
                service: e.service,
                state: e.state,
                expires_at: e.expires_at.to_string(),
            })
            .collect(),
        expiring_count: f.expiring_count,
        outbox: FleetOutbox {
            queued: f.outbox.queued,
            failed: f.outbox.failed,
            last_error_message: f.outbox.last_error.as_ref().map(|(id, _)| *id),
            last_error: f.outbox.last_error.map(|(_, e)| e),
        },
        jobs,
    })
}

/// The fleet's daily figures over the last `days` days (1–366), drawn as the customers'
/// charts are: validations, and sites per licence state (today's counted now, earlier days
/// as the hourly `stats` job wrote them).
pub async fn charts(app: &AppState, _op: &Operator, days: u16) -> ApiResult<Charts> {
    let all = days_back(app, days.clamp(1, 366))?;
    let figures = app.store.fleet_daily_counts(&all[0]).await?;
    let by_metric = |metric: &str| -> Vec<i64> {
        let of: BTreeMap<&str, i64> = figures
            .iter()
            .filter(|f| f.metric == metric)
            .map(|f| (f.day.as_str(), f.value))
            .collect();
        all.iter()
            .map(|d| of.get(d.as_str()).copied().unwrap_or(0))
            .collect()
    };
    let now: BTreeMap<String, i64> = app
        .store
        .fleet_sites_by_state()
        .await?
        .into_iter()
        .collect();
    let mut states = BTreeMap::new();
    for status in [
        SiteStatus::Registered,
        SiteStatus::Active,
        SiteStatus::Deactivated,
        SiteStatus::Suspended,
    ] {
        let mut values = by_metric(&sites_in(status.as_str()));
        if let Some(last) = values.last_mut() {
            *last = now.get(status.as_str()).copied().unwrap_or(0);
        }
        states.insert(status.as_str(), values);
    }
    Ok(Charts {
        validations: by_metric(VALIDATIONS),
        days: all,
        states,
    })
}
