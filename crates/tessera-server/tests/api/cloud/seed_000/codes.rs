//! Each representative receives the two codes over SMTP; the client exchanges them for a
//! cloud token, and only both right ones do, from a program at the version the cloud needs
//! (seed 000: SSM 2.0 at 1.2.11 or later).

use super::*;

pub(super) async fn the_client_exchanges_the_mailed_codes(app: &TestApp, story: &mut Story) {
    let set = app
        .api()
        .set_cloud_minimum_version("ssm2", Some("1.2.11"))
        .await
        .unwrap();
    assert_eq!(
        (set.cloud_minimum_version.as_deref(), set.minimum_version),
        (Some("1.2.11"), None),
        "the cloud's minimum, not the program's"
    );
    for (i, site) in story.sites[..3].iter().enumerate() {
        let text = mail_for(app, &format!("rep{i}@ib50.example")).await;
        let activation = code_after(&text, "Activation code:");
        let site_code = code_after(&text, "Site code:");
        // Wrong codes say only that, whatever the version: the version is looked at once
        // the codes are right, so it tells someone guessing codes nothing.
        refused(
            exchange_at(app, &site_code, "AAAA-BBBB-CCCC-DDDD", Some("1.2.9")).await,
            StatusCode::UNAUTHORIZED,
            "CLOUD_CODES_INVALID",
        );
        refused(
            exchange_at(app, "ZZZZ-ZZZZ", &activation, None).await,
            StatusCode::UNAUTHORIZED,
            "CLOUD_CODES_INVALID",
        );
        // The right codes from a program below 1.2.11, or one that does not say its
        // version: refused, naming the version needed; nothing is claimed.
        for (running, says) in [(Some("1.2.9"), "this one is 1.2.9"), (None, "did not say")] {
            let body = refused(
                exchange_at(app, &site_code, &activation, running).await,
                StatusCode::FORBIDDEN,
                "UPDATE_REQUIRED",
            );
            assert_eq!(body.field.as_deref(), Some("product_version"));
            assert!(
                body.message.contains("1.2.11") && body.message.contains(says),
                "{}",
                body.message
            );
        }
        refused(
            exchange_at(app, &site_code, &activation, Some("1.2")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VERSION_INVALID",
        );
        // 1.10.0 is after 1.2.11 (semantic, not text order); so is 1.2.11 itself.
        let running = if i == 0 { "1.10.0" } else { "v1.2.11" };
        let got = exchange_at(app, &site_code.to_lowercase(), &activation, Some(running))
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
