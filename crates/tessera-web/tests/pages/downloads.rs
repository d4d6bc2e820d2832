//! The download centre (X6): the account's releases for its editions, newest first, the
//! latest marked, the minimum version said, notes escaped; a site's user sees only what its
//! site's edition may download.

use reqwest::StatusCode;
use tessera_api::{ChangeEdition, NewEntry, NewGroup, NewRelease, NewSiteUser};
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::site::account_with_data;
use crate::site_users::enabled;
use crate::visitor::{Page, Visitor};

fn release(version: &str, editions: &[&str], notes: &str) -> NewRelease {
    NewRelease {
        version: version.into(),
        channel: None,
        notes: notes.into(),
        url: format!("https://downloads.vendor.example/crm-{version}.exe"),
        sha256: Some("c0ffee".repeat(10) + "c0ff"),
        editions: editions.iter().map(|e| e.to_string()).collect(),
    }
}

/// The versions listed, in order.
fn versions(page: &Page) -> Vec<String> {
    page.text
        .split("<tr data-version=\"")
        .skip(1)
        .map(|row| row.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_download_centre_lists_what_the_licences_may_download() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        let (sites, admin) = account_with_data(&app, 2).await;
        let mut v = Visitor::new(&app);
        v.sign_in("ib50", PASSWORD).await;
        let page = v.get("/downloads").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(
            page.text
                .contains("href=\"/downloads\" aria-current=\"page\"")
        );
        assert!(page.text.contains("No release is published yet."));

        // The second site's key moves to pro; a release only for pro.
        let api = app.api();
        let pro = NewEntry {
            code: "pro".into(),
            name: "Professional".into(),
        };
        api.add_edition("crm", &pro).await.unwrap();
        let own = app.api_as(Some(&admin)).own_sites().await.unwrap();
        let second_key = own
            .sites
            .iter()
            .find(|s| s.site_id == sites[1])
            .unwrap()
            .product_key
            .clone();
        let to_pro = ChangeEdition {
            edition: "pro".into(),
        };
        api.change_edition(&second_key, &to_pro).await.unwrap();
        for r in [
            release("1.2.9", &[], "Older."),
            release("1.10.0", &["pro"], "For pro."),
            release("1.2.11", &[], "<script>alert(1)</script> & more"),
        ] {
            api.publish_release("crm", &r).await.unwrap();
        }
        api.set_minimum_version("crm", Some("1.2.11"))
            .await
            .unwrap();

        let page = v.get("/downloads").await;
        assert_eq!(versions(&page), ["1.10.0", "1.2.11", "1.2.9"]);
        assert!(
            page.text.contains("Version 1.2.11 or later is required"),
            "{}",
            page.text
        );
        assert!(
            page.text.contains("&lt;script&gt;alert(1)")
                || page.text.contains("&#60;script&#62;alert(1)"),
            "the notes escaped"
        );
        assert!(!page.text.contains("<script>alert(1)"));
        assert!(
            page.text
                .contains("href=\"https://downloads.vendor.example/crm-1.2.11.exe\"")
        );
        let latest = page
            .text
            .split("<tr data-version=\"1.10.0\"")
            .nth(1)
            .unwrap();
        let latest = latest.split("</tr>").next().unwrap();
        assert!(latest.contains("release-latest"), "{latest}");

        // A site's user of the std site: the std releases only.
        let code = enabled(&app, &admin, &sites[0]).await;
        let station = app
            .api_as(Some(&admin))
            .create_group(&NewGroup {
                name: "station".into(),
                rights: vec![],
            })
            .await
            .unwrap();
        let user = NewSiteUser {
            username: "admin".into(),
            password: PASSWORD.into(),
            groups: vec![station.id],
        };
        app.api_as(Some(&admin))
            .create_site_user(&sites[0], &user)
            .await
            .unwrap();
        let mut site_user = Visitor::new(&app);
        let signed = site_user.sign_in_site("admin", PASSWORD, &code).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
        let page = site_user.get("/downloads").await;
        assert_eq!(versions(&page), ["1.2.11", "1.2.9"], "{}", page.text);

        // Without a session: the sign-in page.
        let anonymous = Visitor::new(&app).get("/downloads").await;
        assert_ne!(anonymous.status, StatusCode::OK);
        app.stop().await;
    }
}
