//! Users, groups and rights (F5) on their pages: groups created, renamed and removed; a
//! right switched on and off, and a member gaining and losing the page it opens; members
//! (users and site users) saved; a user added in a group signs in on the account's tab, and
//! once removed cannot; a user disabled from the page is signed out and refused until
//! enabled again; who lacks `users.manage` sees no way there and is refused anyway; a
//! group's name with markup shows as text.

use reqwest::StatusCode;
use tessera_api::{NewGroup, NewSiteUser, NewUser};
use tessera_testkit::TestApp;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::account_login;
use tessera_testkit::{Backend, spawn_app};

use crate::visitor::{Page, Visitor, account_with_sites};
use tessera_testkit::scenarios::user_with;

/// The account with one site, and the superadmin signed in on the pages; its API token.
async fn signed_in(app: &TestApp) -> (Visitor, String, Vec<String>) {
    let sites = account_with_sites(app, 1).await;
    let admin = account_login(app, "ib50").await;
    let mut v = Visitor::new(app);
    let signed = v.sign_in("ib50", PASSWORD).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
    (v, admin, sites)
}

/// A user of the account in no group; its id.
async fn user(app: &TestApp, admin: &str, name: &str) -> i64 {
    let new = NewUser {
        username: name.into(),
        password: PASSWORD.into(),
        groups: Vec::new(),
    };
    app.api_as(Some(admin)).create_user(&new).await.unwrap().id
}

/// The id at the end of a redirect to a group's page.
fn group_id(page: &Page) -> i64 {
    let location = page.location();
    let rest = location
        .strip_prefix("/users/groups/")
        .unwrap_or_else(|| panic!("not a group's page: {location}"));
    rest.split('?').next().unwrap().parse().unwrap()
}

/// The text of the row of right `name` on a group's page (or the row htmx got).
fn right_row<'a>(page: &'a Page, name: &str) -> &'a str {
    let marker = format!("data-right=\"{name}\"");
    let start = page.text.find(&marker).expect("the right's row");
    page.text[start..].split("</li>").next().unwrap()
}

/// The text of user `id`'s row on the users page (or the row htmx got).
fn user_row(page: &Page, id: i64) -> &str {
    let marker = format!("data-user=\"{id}\"");
    let start = page.text.find(&marker).expect("the user's row");
    page.text[start..].split("</li>").next().unwrap()
}

/// Whether the menu links to `href`.
fn in_menu(page: &Page, href: &str) -> bool {
    let nav = page.text.split("<nav").nth(1).unwrap_or("");
    let nav = nav.split("</nav>").next().unwrap();
    nav.contains(&format!("href=\"{href}\""))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_right_switched_on_opens_its_page_to_the_groups_members_and_off_closes_it() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (mut v, admin, _) = signed_in(&app).await;
    let tom_id = user(&app, &admin, "tom").await;

    let page = v.get("/users").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(in_menu(&page, "/users") && in_menu(&page, "/operations"));
    assert!(page.text.contains("<strong>tom</strong>"));
    let csrf = page.hidden("csrf").unwrap();

    let created = v
        .post("/users/groups", &[("csrf", &csrf), ("name", "Station")])
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    let gid = group_id(&created);
    let page = v.get(created.location()).await;
    assert!(page.text.contains("The group is created."));
    assert_eq!(
        page.text.matches("role=\"switch\"").count(),
        tessera_core::rights::Right::ALL.len()
    );
    let row = right_row(&page, "operations.view");
    assert!(
        row.contains("aria-checked=\"false\"") && row.contains(">OFF<"),
        "{row}"
    );
    assert!(row.contains("Reads the operations log"), "{row}");
    // German readers get the seed's words.
    let mut de = Visitor::new(&app);
    de.cookies = v.cookies.clone();
    de.cookies.insert("tessera_lang".into(), "de".into());
    let german = de.get(&format!("/users/groups/{gid}")).await;
    assert!(german.text.contains("Rechteverwaltung"));
    assert!(
        german
            .text
            .contains("Kann Aktionen freigeben, welche Folgekosten mit sich bringen")
    );

    // Tom joins the group; without the right, the log is refused him and not in his menu.
    let saved = v
        .post(
            &format!("/users/groups/{gid}/members"),
            &[("csrf", &csrf), ("users", &tom_id.to_string())],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let mut tom = Visitor::new(&app);
    assert_eq!(
        tom.sign_in("tom", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let sites = tom.get("/sites").await;
    assert!(!in_menu(&sites, "/operations") && !in_menu(&sites, "/users"));
    assert_eq!(tom.get("/operations").await.status, StatusCode::FORBIDDEN);

    // Switched on with htmx: the row comes back ON, and tom reads the log at once.
    let action = format!("/users/groups/{gid}/rights/operations.view");
    let on = v
        .post_with(
            &action,
            &[("csrf", &csrf), ("on", "yes")],
            &[("hx-request", "true"), ("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.text);
    assert!(
        on.text.trim_start().starts_with("<li class=\"right\""),
        "only the row"
    );
    let row = right_row(&on, "operations.view");
    assert!(
        row.contains("aria-checked=\"true\"") && row.contains(">ON<"),
        "{row}"
    );
    assert!(
        row.contains("name=\"on\" value=\"no\""),
        "the next click switches off"
    );
    assert!(row.contains("hold this right from their next click"));
    let log = tom.get("/operations").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text);
    assert!(in_menu(&log, "/operations"));
    let listed = app.api_as(Some(&admin)).groups().await.unwrap();
    assert_eq!(listed.groups[0].rights, ["operations.view"]);

    // Switched off without htmx: back to the group's page, and the log is closed again.
    let off = v.post(&action, &[("csrf", &csrf), ("on", "no")]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(
        off.location(),
        format!("/users/groups/{gid}?done=right-off#right-operations-view")
    );
    let page = v.get(off.location()).await;
    assert!(right_row(&page, "operations.view").contains("aria-checked=\"false\""));
    assert_eq!(tom.get("/operations").await.status, StatusCode::FORBIDDEN);
    let unknown = v
        .post(
            &format!("/users/groups/{gid}/rights/sites.delete"),
            &[("csrf", &csrf), ("on", "yes")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_are_created_renamed_and_removed_and_their_members_saved() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (mut v, admin, sites) = signed_in(&app).await;
    let api = app.api_as(Some(&admin));
    let tom = user(&app, &admin, "tom").await;
    let kiosk = NewSiteUser {
        username: "kiosk".into(),
        password: PASSWORD.into(),
        groups: Vec::new(),
    };
    let kiosk = api.create_site_user(&sites[0], &kiosk).await.unwrap().id;
    let csrf = v.get("/users").await.hidden("csrf").unwrap();

    let created = v
        .post("/users/groups", &[("csrf", &csrf), ("name", "technicians")])
        .await;
    let gid = group_id(&created);
    let taken = v
        .post("/users/groups", &[("csrf", &csrf), ("name", "technicians")])
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.text);
    assert_eq!(
        taken.error_at("name").as_deref(),
        Some("The account has a group of this name already.")
    );
    assert!(taken.text.contains("value=\"technicians\""));
    let blank = v
        .post("/users/groups", &[("csrf", &csrf), ("name", " ")])
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.error_at("name").is_some());

    // Members: the account's users and its sites' users, ticked and saved.
    let page = v.get(&format!("/users/groups/{gid}")).await;
    assert!(
        page.text
            .contains(&format!("name=\"users\" value=\"{tom}\">"))
    );
    assert!(
        page.text
            .contains(&format!("name=\"site_users\" value=\"{kiosk}\">"))
    );
    assert!(page.text.contains(&sites[0]), "a site user shows its site");
    let form = [
        ("csrf", csrf.clone()),
        ("users", tom.to_string()),
        ("site_users", kiosk.to_string()),
    ];
    let saved = v
        .post_form(&format!("/users/groups/{gid}/members"), &form)
        .await;
    assert_eq!(
        saved.location(),
        format!("/users/groups/{gid}?done=members-saved#members")
    );
    let page = v.get(saved.location()).await;
    assert!(page.text.contains("The members are saved."));
    assert!(page.text.contains(&format!("value=\"{tom}\" checked")));
    assert!(page.text.contains(&format!("value=\"{kiosk}\" checked")));
    let group = &api.groups().await.unwrap().groups[0];
    assert_eq!((group.users.len(), group.site_users.len()), (1, 1));
    let overview = v.get("/users").await;
    assert!(overview.text.contains("2 members"), "{}", overview.text);

    // Renamed; not to another group's name, nor to nothing.
    api.create_group(&NewGroup {
        name: "admins".into(),
        rights: vec![],
    })
    .await
    .unwrap();
    let rename = format!("/users/groups/{gid}/name");
    let clash = v
        .post(&rename, &[("csrf", &csrf), ("name", "admins")])
        .await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert!(clash.error_at("name").is_some());
    assert!(clash.text.contains("value=\"admins\""));
    let renamed = v
        .post(&rename, &[("csrf", &csrf), ("name", "field techs")])
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    let page = v.get(renamed.location()).await;
    assert!(page.text.contains("<h1>field techs</h1>"));

    // Removed: gone from the overview; its page is not found; its members stay.
    let removed = v
        .post(&format!("/users/groups/{gid}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(removed.location(), "/users?done=group-removed#groups");
    let overview = v.get(removed.location()).await;
    assert!(overview.text.contains("The group is removed."));
    assert!(!overview.text.contains("field techs"));
    assert!(overview.text.contains("<strong>tom</strong>"));
    let gone = v.get(&format!("/users/groups/{gid}")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(gone.text.contains("There is no such group."));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_added_in_a_group_signs_in_and_once_removed_cannot() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (mut v, admin, _) = signed_in(&app).await;
    let group = app
        .api_as(Some(&admin))
        .create_group(&NewGroup {
            name: "log readers".into(),
            rights: vec!["operations.view".into()],
        })
        .await
        .unwrap();
    let gid = group.id.to_string();
    let page = v.get("/users").await;
    assert!(page.text.contains("There are no users yet."));
    assert!(
        page.text
            .contains(&format!("name=\"groups\" value=\"{gid}\""))
    );
    let csrf = page.hidden("csrf").unwrap();
    let typed = |again: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("username", "Nina.R".to_owned()),
            ("password", PASSWORD.to_owned()),
            ("password_confirm", again.to_owned()),
            ("groups", gid.clone()),
        ]
    };

    let mismatch = v
        .post_form("/users", &typed("something else entirely"))
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        mismatch.error_at("password_confirm").as_deref(),
        Some("The two passwords differ.")
    );
    assert!(mismatch.text.contains("value=\"Nina.R\""));
    assert!(mismatch.text.contains(&format!("value=\"{gid}\" checked")));
    assert!(
        !mismatch.text.contains(PASSWORD),
        "a password is never shown"
    );

    let added = v.post_form("/users", &typed(PASSWORD)).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    assert_eq!(added.location(), "/users?done=user-added#users");
    let page = v.get(added.location()).await;
    assert!(page.text.contains("The user is added"));
    assert!(page.text.contains("<strong>nina.r</strong>"));
    assert!(page.text.contains(">log readers<"));
    let taken = v.post_form("/users", &typed(PASSWORD)).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.text.contains("This username is taken."));

    // Nina signs in on the account's tab and holds her group's right.
    let mut nina = Visitor::new(&app);
    let signed = nina.sign_in("nina.r", PASSWORD).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
    assert_eq!(nina.get("/operations").await.status, StatusCode::OK);

    // Removed: her session ends at once, and she cannot sign in again.
    let id = app.api_as(Some(&admin)).users().await.unwrap().users[0].id;
    let removed = v
        .post(&format!("/users/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(removed.location(), "/users?done=user-removed#users");
    let page = v.get(removed.location()).await;
    assert!(page.text.contains("The user is removed"));
    assert!(!page.text.contains("nina.r"));
    let after = nina.get("/operations").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/sign-in"));
    let again = Visitor::new(&app).sign_in("nina.r", PASSWORD).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_disabled_on_the_page_is_signed_out_and_refused_until_enabled() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (mut v, admin, _) = signed_in(&app).await;
    let id = user(&app, &admin, "tom").await;
    let mut tom = Visitor::new(&app);
    assert_eq!(
        tom.sign_in("tom", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(tom.get("/sites").await.status, StatusCode::OK);

    let page = v.get("/users").await;
    let row = user_row(&page, id);
    assert!(row.contains("data-disabled=\"false\""), "{row}");
    assert!(
        row.contains(&format!("action=\"/users/{id}/disable\"")),
        "{row}"
    );
    assert!(row.contains("aria-label=\"Disable tom\""), "{row}");
    let csrf = page.hidden("csrf").unwrap();

    // Disabled with htmx: only the row comes back, disabled, offering to enable.
    let disabled = v
        .post_with(
            &format!("/users/{id}/disable"),
            &[("csrf", &csrf)],
            &[("hx-request", "true"), ("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.text);
    assert!(
        disabled.text.trim_start().starts_with("<li data-user="),
        "only the row: {}",
        disabled.text
    );
    let row = user_row(&disabled, id);
    assert!(row.contains("data-disabled=\"true\""), "{row}");
    assert!(row.contains("Disabled since 20"), "{row}");
    assert!(row.contains("The user is disabled"), "{row}");
    assert!(
        row.contains(&format!("hx-post=\"/users/{id}/enable\"")),
        "{row}"
    );
    assert!(row.contains("aria-label=\"Enable tom\""), "{row}");
    let listed = app.api_as(Some(&admin)).users().await.unwrap().users;
    assert!(listed[0].disabled_at.is_some(), "{listed:?}");

    // Tom's session ended at once; signing in again says why only with his password.
    let after = tom.get("/sites").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/sign-in"));
    let refused = Visitor::new(&app).sign_in("tom", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    assert!(
        refused.text.contains("This user is disabled."),
        "{}",
        refused.text
    );
    let wrong = Visitor::new(&app)
        .sign_in("tom", "not tom's password")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(!wrong.text.contains("disabled"), "{}", wrong.text);
    let page = v.get("/users").await;
    assert!(
        user_row(&page, id).contains(">disabled<"),
        "the state shows"
    );

    // Enabled without htmx: back to the page at his row; he signs in again.
    let enabled = v
        .post(&format!("/users/{id}/enable"), &[("csrf", &csrf)])
        .await;
    assert_eq!(enabled.status, StatusCode::SEE_OTHER, "{}", enabled.text);
    assert_eq!(
        enabled.location(),
        format!("/users?done=user-enabled#user-{id}")
    );
    let page = v.get(enabled.location()).await;
    assert!(page.text.contains("The user is enabled again"));
    let row = user_row(&page, id);
    assert!(row.contains("data-disabled=\"false\"") && !row.contains("Disabled since"));
    let mut tom = Visitor::new(&app);
    assert_eq!(
        tom.sign_in("tom", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(tom.get("/sites").await.status, StatusCode::OK);

    // Without the page's token, nothing happens; an unknown user is not found.
    let forged = v.post(&format!("/users/{id}/disable"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let unknown = v.post("/users/999999/disable", &[("csrf", &csrf)]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.text.contains("There is no such user."));
    assert!(
        app.api_as(Some(&admin)).users().await.unwrap().users[0]
            .disabled_at
            .is_none()
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_right_to_manage_users_nothing_shows_and_everything_is_refused() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (_, admin, _) = signed_in(&app).await;
    user_with(&app, &admin, "ops", &["operations.view"]).await;
    let gid = app.api_as(Some(&admin)).groups().await.unwrap().groups[0].id;
    let uid = app.api_as(Some(&admin)).users().await.unwrap().users[0].id;
    let mut ops = Visitor::new(&app);
    ops.sign_in("ops", PASSWORD).await;
    let sites = ops.get("/sites").await;
    assert!(in_menu(&sites, "/operations"));
    assert!(!in_menu(&sites, "/users"));
    let csrf = sites.hidden("csrf").unwrap();
    for path in ["/users".to_owned(), format!("/users/groups/{gid}")] {
        let page = ops.get(&path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.text.contains("does not have the right"), "{path}");
    }
    // Giving oneself the right by posting the switch anyway changes nothing.
    let forced = [
        (format!("/users/groups/{gid}/rights/users.manage"), "on"),
        ("/users/groups".to_owned(), "name"),
        ("/users".to_owned(), "username"),
        (format!("/users/groups/{gid}/delete"), "x"),
        (format!("/users/groups/{gid}/members"), "site_users"),
        (format!("/users/{uid}/disable"), "x"),
    ];
    for (path, field) in forced {
        let value = if field == "site_users" { "1" } else { "yes" };
        let page = ops.post(&path, &[("csrf", &csrf), (field, value)]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    let groups = app.api_as(Some(&admin)).groups().await.unwrap().groups;
    assert_eq!(groups[0].rights, ["operations.view"]);
    assert_eq!(groups[0].users.len(), 1);
    let users = app.api_as(Some(&admin)).users().await.unwrap().users;
    assert!(users[0].disabled_at.is_none(), "{users:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_name_with_markup_renders_as_text() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (mut v, admin, _) = signed_in(&app).await;
    let evil = "<script>alert(\"x\")</script> O'Brien & \"Sons\"";
    let group = app
        .api_as(Some(&admin))
        .create_group(&NewGroup {
            name: evil.into(),
            rights: vec![],
        })
        .await
        .unwrap();
    for path in ["/users".to_owned(), format!("/users/groups/{}", group.id)] {
        let page = v.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            !page.text.contains("<script>alert"),
            "{path}: {}",
            page.text
        );
        assert!(!page.text.contains("\"Sons\""), "{path}: quotes escaped");
        let shown = page.text.contains("&lt;script&gt;") || page.text.contains("&#60;script&#62;");
        assert!(shown, "{path}: the name shows, as text");
    }
    app.stop().await;
}
