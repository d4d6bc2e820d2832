//! Each representative receives the two codes over SMTP; the client exchanges them for a
//! cloud token, and only both right ones do.

use super::*;

pub(super) async fn the_client_exchanges_the_mailed_codes(app: &TestApp, story: &mut Story) {
    for (i, site) in story.sites[..3].iter().enumerate() {
        let text = mail_for(app, &format!("rep{i}@ib50.example")).await;
        let activation = code_after(&text, "Activation code:");
        let site_code = code_after(&text, "Site code:");
        refused(
            exchange(app, &site_code, "AAAA-BBBB-CCCC-DDDD").await,
            StatusCode::UNAUTHORIZED,
            "CLOUD_CODES_INVALID",
        );
        refused(
            exchange(app, "ZZZZ-ZZZZ", &activation).await,
            StatusCode::UNAUTHORIZED,
            "CLOUD_CODES_INVALID",
        );
        let got = exchange(app, &site_code.to_lowercase(), &activation)
            .await
            .unwrap();
        assert_eq!(
            (got.site_id.as_str(), got.state.as_str()),
            (site.as_str(), "trialing")
        );
        cloud_status(app, &got.cloud_token).await.unwrap();
        story.cloud_tokens.push(got.cloud_token);
        story.site_codes.push((site_code, activation));
    }
    refused(
        cloud_status(app, "not-a-token").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
}
