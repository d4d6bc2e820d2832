//! Activation by file on the page (X1): the superadmin answers a request file and downloads
//! the response; refusals stay on the form in the reader's words; nobody else gets the page.

use reqwest::StatusCode;
use tessera_api::{OfflineRequestKind, OfflineResponseFile};
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::{account_login, fp, offline_policy, offline_request, user_with};
use tessera_testkit::{Backend, spawn_app};

use crate::visitor::{Visitor, account_with_sites};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_superadmin_answers_a_request_file_and_downloads_the_response() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        let sites = account_with_sites(&app, 2).await;
        let admin = account_login(&app, "ib50").await;
        let own = app.api_as(Some(&admin)).own_sites().await.unwrap();
        let second = own.sites.iter().find(|s| s.site_id == sites[1]).unwrap();
        let now = jiff::Timestamp::now();
        let machine = tessera_core::offline::MachineKey::from_seed([3; 32]);
        let mut req = offline_request(
            OfflineRequestKind::Activation,
            &second.product_key,
            "office@ib50.example",
            &fp('b'),
            now,
        );
        req.machine_key = Some(machine.public_hex());
        let request_text = String::from_utf8(req.to_file()).unwrap();

        let mut v = Visitor::new(&app);
        v.sign_in("ib50", PASSWORD).await;
        let page = v.get("/offline").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(
            page.text
                .contains("href=\"/offline\" aria-current=\"page\"")
        );
        assert!(page.text.contains("<label for=\"offline-request\">"));
        assert!(page.text.contains("type=\"file\""));
        let csrf = page.hidden("csrf").unwrap();
        let post = |text: &str| vec![("csrf", csrf.clone()), ("request", text.to_owned())];

        // The product does not offer it yet: the form says so.
        let refused = v.post_form("/offline", &post(&request_text)).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(
            refused
                .text
                .contains("This product cannot be activated by file"),
            "{}",
            refused.text
        );

        offline_policy(&app, "crm", "periodic", Some(90)).await;
        let done = v.post_form("/offline", &post(&request_text)).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        assert!(
            done.text.contains(&format!(
                "Site {} is activated on the requesting machine.",
                sites[1]
            )),
            "{}",
            done.text
        );
        let link = format!("/offline/responses/{}", req.nonce);
        assert!(done.text.contains(&format!("href=\"{link}\"")));
        let file = v.get(&link).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(
            file.headers["content-disposition"],
            format!(
                "attachment; filename=\"tessera-response-{}.json\"",
                sites[1]
            )
            .as_str()
        );
        let response: OfflineResponseFile = serde_json::from_str(&file.text).unwrap();
        assert_eq!(response.site_id, sites[1]);
        // On record under the site it answered for.
        let log = app
            .api_as(Some(&admin))
            .own_operations(&format!("?site={}", sites[1]))
            .await
            .unwrap()
            .operations;
        assert!(
            log.iter()
                .any(|o| o.operation == "POST /offline" && o.outcome == "ok"),
            "{log:?}"
        );
        let site = app.api().site(&sites[1]).await.unwrap();
        assert_eq!(site.fingerprint.as_deref(), Some(fp('b').as_str()));

        // The same file again: the same response, said so.
        let again = v.post_form("/offline", &post(&request_text)).await;
        assert!(again.text.contains("This request was answered before"));
        assert_eq!(v.get(&link).await.text, file.text);

        // An edited file and a file that is not one stay on the form, escaped.
        let edited = request_text.replace(&fp('b'), &fp('c'));
        let refused = v.post_form("/offline", &post(&edited)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text.contains("damaged, cut short or was changed"));
        let script = "<script>alert(1)</script>";
        let refused = v.post_form("/offline", &post(script)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!refused.text.contains(script));
        assert!(
            refused.text.contains("&lt;script&gt;alert(1)")
                || refused.text.contains("&#60;script&#62;alert(1)"),
            "kept in the box, as text"
        );

        // The machine's deactivation releases the installation: said so, nothing to download.
        let mut deactivation = offline_request(
            OfflineRequestKind::Deactivation,
            &second.product_key,
            "office@ib50.example",
            &fp('b'),
            now,
        );
        deactivation.machine_key = Some(machine.public_hex());
        deactivation.activation_nonce = Some(req.nonce.clone());
        let signed = String::from_utf8(deactivation.to_signed_file(&machine)).unwrap();
        let released = v.post_form("/offline", &post(&signed)).await;
        assert_eq!(released.status, StatusCode::OK, "{}", released.text);
        assert!(
            released
                .text
                .contains(&format!("Site {} is released from its machine", sites[1])),
            "{}",
            released.text
        );
        assert!(!released.text.contains("id=\"offline-download\""));
        let site = app.api().site(&sites[1]).await.unwrap();
        assert_eq!((site.status.as_str(), site.by_file), ("deactivated", false));

        // A user of the account, even with every right, neither sees nor gets the page.
        user_with(&app, &admin, "clerk", &["sites.manage"]).await;
        let mut clerk = Visitor::new(&app);
        clerk.sign_in("clerk", PASSWORD).await;
        let sites_page = clerk.get("/sites").await;
        assert!(!sites_page.text.contains("href=\"/offline\""));
        assert_eq!(clerk.get("/offline").await.status, StatusCode::FORBIDDEN);
        assert_eq!(clerk.get(&link).await.status, StatusCode::FORBIDDEN);
        app.stop().await;
    }
}
