//! Seed 000's story: register, trial, enable three sites, purchase, the provider's callback, a
//! renewal that drops a site, reminders and expiry.
//!
//! One customer's years, told in chapters one file each: every chapter starts where the one
//! before left the clock, the subscription and the invoice numbers, so they run in order in
//! one test rather than as tests that would each replay the years before them.

use super::*;

mod callback;
mod codes;
mod enabling;
mod invoice;
mod late_renewal;
mod purchase;
mod reminders;
mod renewal;
mod site_license;

both_backends!(
    the_cloud_story_of_seed_000 with cloud_config,
);

/// What the chapters hand on: the customer's keys, sites and portal token, and the sites'
/// cloud tokens once exchanged.
struct Story {
    keys: Vec<String>,
    sites: Vec<String>,
    token: String,
    cloud_tokens: Vec<String>,
    /// The mailed site code and activation code of each site enabled.
    site_codes: Vec<(String, String)>,
}

async fn the_cloud_story_of_seed_000(mut app: TestApp) {
    let keys = catalog(&app, 4).await;
    let (token, sites) = customer(&app, "ib50", IT_VATS[0], &keys).await;
    let mut story = Story {
        keys,
        sites,
        token,
        cloud_tokens: Vec::new(),
        site_codes: Vec::new(),
    };
    enabling::only_what_the_plan_covers(&app, &story).await;
    codes::the_client_exchanges_the_mailed_codes(&app, &mut story).await;
    let bought = purchase::the_order_is_summed_up(&app, &story).await;
    callback::the_provider_confirms_the_payment_once(&app, &story, &bought).await;
    invoice::the_paid_year_and_its_invoice(&app, &story).await;
    site_license::the_sites_own_license_comes_first(&app, &story).await;
    renewal::an_early_renewal_drops_a_site(&mut app, &mut story).await;
    reminders::reminders_then_expiry(&mut app, &mut story).await;
    late_renewal::a_late_renewal_and_the_operators_states(&mut app, &mut story).await;
    app.stop().await;
}
