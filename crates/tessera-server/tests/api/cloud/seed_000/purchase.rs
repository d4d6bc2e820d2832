//! Purchase: a site is not dropped mid-term; the order's summary (net, VAT, total) before the
//! payment.

use super::*;

pub(super) async fn the_order_is_summed_up(app: &TestApp, story: &Story) -> Order {
    let token = story.token.as_str();
    // A site is not dropped mid-term.
    refused(
        app.api_as(Some(token)).disable_site(&story.sites[0]).await,
        StatusCode::CONFLICT,
        "SITE_LOCKED_UNTIL_RENEWAL",
    );

    // Purchase: the summary, then the provider's callback.
    let mut body = new_order(3);
    body.billing.vat_number = None;
    refused(
        order(app, token, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VAT_NUMBER_REQUIRED",
    );
    let bought = order(app, token, &new_order(3)).await.unwrap();
    assert_eq!(
        (bought.kind.as_str(), bought.status.as_str()),
        ("purchase", "awaiting_payment")
    );
    let s = &bought.summary;
    assert_eq!(
        (s.article_code.as_str(), s.net, s.vat, s.total),
        ("F00772540", 90_000, 19_800, 109_800)
    );
    assert_eq!(
        (
            s.vat_rate.as_str(),
            s.vat_treatment.as_str(),
            s.purchase_date.as_str()
        ),
        ("22.00%", "charged", "2026-11-23")
    );
    bought
}
