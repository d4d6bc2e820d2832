//! Stored text shows as text: a site named with markup and quotes cannot run a script or
//! break out of an attribute.

use reqwest::StatusCode;
use tessera_api::SiteData;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::account_login;
use tessera_testkit::{Backend, spawn_app};

use crate::visitor::{Visitor, account_with_sites};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_with_markup_render_as_text() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let sites = account_with_sites(&app, 1).await;
    let token = account_login(&app, "ib50").await;
    let evil = "<script>alert(\"x\")</script> O'Brien & \"Sons\"";
    let data = SiteData {
        company: evil.into(),
        branch: Some("<img src=x onerror=alert(1)>".into()),
        address: "Via Emilia 4".into(),
        zip: "20121".into(),
        locality: "Milano".into(),
        province: "MI".into(),
        nation: "IT".into(),
        representative_name: "Anna".into(),
        representative_surname: "Bianchi".into(),
        representative_email: "anna@ib50.example".into(),
    };
    app.api_as(Some(&token))
        .change_site_data(&sites[0], &data)
        .await
        .unwrap();
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;
    let page = v.get("/sites").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text.contains("<script>alert"), "{}", page.text);
    assert!(!page.text.contains("<img src=x"), "{}", page.text);
    let shown = page.text.contains("&lt;script&gt;") || page.text.contains("&#60;script&#62;");
    assert!(shown, "the name shows, as text: {}", page.text);
    // On the site's sheet and in its data form (an attribute's value) alike.
    for path in [
        format!("/sites/{}", sites[0]),
        format!("/sites/{}/data/edit", sites[0]),
    ] {
        let page = v.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            !page.text.contains("<script>alert"),
            "{path}: {}",
            page.text
        );
        assert!(!page.text.contains("<img src=x"), "{path}: {}", page.text);
        assert!(!page.text.contains("\"Sons\""), "{path}: quotes escaped");
    }
    // Typed into the search box, it is escaped in the attribute too.
    let searched = v.get("/sites?q=%22%3E%3Cscript%3E").await;
    assert!(!searched.text.contains("\"><script>"), "{}", searched.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_typed_into_a_refused_form_comes_back_as_text() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let mut v = Visitor::new(&app);
    let evil = "\"><script>alert(1)</script>";
    let key = v
        .post("/register/key-check", &[("product_key", evil)])
        .await;
    assert_eq!(key.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = v
        .post(
            "/register",
            &[
                ("product_key", evil),
                ("username", evil),
                ("company.name", evil),
            ],
        )
        .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reset = v.post("/password-reset", &[("email", evil)]).await;
    assert_eq!(reset.status, StatusCode::UNPROCESSABLE_ENTITY);
    for page in [key, form, reset] {
        assert!(!page.text.contains("<script>alert"), "{}", page.text);
        assert!(page.text.contains("&lt;script&gt;") || page.text.contains("&#60;script&#62;"));
    }
}
