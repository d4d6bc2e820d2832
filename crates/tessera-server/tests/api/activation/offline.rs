//! Activation and revalidation by file (X1): the account's superadmin or an operator
//! uploads the request file an air-gapped site wrote and gets a signed licence bound to the
//! request's nonce and machine, with the product's offline terms.

use tessera_api::{OfflineRequestKind, OfflineResponseFile, Product};
use tessera_core::offline::{OfflineMode, OfflineRequest, RequestFile, perpetual_deadline};

use tessera_core::Clock;

use super::*;
use crate::fixtures::{offline_policy, offline_request, product_with_keys};

const DAY: SignedDuration = SignedDuration::from_hours(24);

fn file(req: &OfflineRequest) -> Vec<u8> {
    req.to_file()
}

/// The response file's licence, verified with the published keys.
fn licence(text: &str, keys: &[PublicKeyInfo]) -> (OfflineResponseFile, License) {
    let response: OfflineResponseFile = serde_json::from_str(text).unwrap();
    assert_eq!(response.format, "tessera-offline-response/v1");
    let lic = open_license(&response.license, keys);
    assert_eq!(lic.site_id, response.site_id);
    (response, lic)
}

fn request(kind: OfflineRequestKind, key: &str, machine: &str, now: Timestamp) -> OfflineRequest {
    offline_request(kind, key, EMAIL, machine, now)
}

both_backends!(an_air_gapped_site_activates_and_revalidates_by_file,);

async fn an_air_gapped_site_activates_and_revalidates_by_file(mut app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    offline_policy(&app, "crm", "periodic", Some(90)).await;
    let published = published(&app).await;
    let jack = app.api_as(Some(&account_login(&app, "jack").await));

    let req = request(
        OfflineRequestKind::Activation,
        &keys[0],
        &fp('a'),
        app.clock.now(),
    );
    let (new, text) = jack.answer_own_offline_request(&file(&req)).await.unwrap();
    assert!(new, "a first answer is 201");
    let (response, lic) = licence(&text, &published);
    assert_eq!(response.site_id, site_id);
    assert_eq!(lic.fingerprint, fp('a'));
    let terms = lic.offline.clone().expect("a licence by file says so");
    assert_eq!(terms.policy, OfflineMode::Periodic);
    assert_eq!(terms.nonce, req.nonce);
    assert_eq!(terms.check_days, Some(90));
    assert_eq!(terms.revalidate_by, Some(start_time() + DAY * 90));
    assert_eq!(
        lic.check_deadline,
        start_time() + DAY * 100,
        "the grace days run after the revalidation date"
    );
    let s = site(&app, &site_id).await;
    assert_eq!(
        (s.status.as_str(), s.fingerprint.as_deref()),
        ("active", Some(fp('a').as_str()))
    );

    // The same file again: the same answer, byte for byte.
    app.clock.advance(SignedDuration::from_mins(5));
    let (new, again) = jack.answer_own_offline_request(&file(&req)).await.unwrap();
    assert!(!new, "the same request again is 200");
    assert_eq!(again, text);

    // The same request for another machine (a consistent file, digest and all): refused,
    // and the installation stays on the first machine.
    let other = OfflineRequest {
        fingerprint: fp('b'),
        ..req.clone()
    };
    refused(
        jack.answer_own_offline_request(&file(&other)).await,
        StatusCode::CONFLICT,
        "OFFLINE_REQUEST_USED",
    );
    assert_eq!(
        site(&app, &site_id).await.fingerprint.as_deref(),
        Some(fp('a').as_str())
    );

    // A file edited by hand or cut short: refused before anything else.
    let fresh = request(
        OfflineRequestKind::Activation,
        &keys[0],
        &fp('a'),
        app.clock.now(),
    );
    let text_file = String::from_utf8(file(&fresh)).unwrap();
    let edited = text_file.replace(&fp('a'), &fp('c'));
    assert_ne!(edited, text_file);
    for bad in [
        edited.as_bytes(),
        &text_file.as_bytes()[..text_file.len() - 40],
        b"{}",
    ] {
        refused(
            jack.answer_own_offline_request(bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "OFFLINE_REQUEST_INVALID",
        );
    }
    // The parsed file is what the server read.
    let parsed: RequestFile = serde_json::from_str(&text_file).unwrap();
    assert_eq!(parsed.request, fresh);

    // 80 days on, the site renews by file; the licence's dates move on.
    app.clock.advance(DAY * 80);
    // Sessions do not last 80 days: sign in again.
    app.sign_in().await;
    let jack = app.api_as(Some(&account_login(&app, "jack").await));
    let reval = request(
        OfflineRequestKind::Revalidation,
        &keys[0],
        &fp('a'),
        app.clock.now(),
    );
    let (new, text) = app
        .api()
        .answer_offline_request(&file(&reval))
        .await
        .unwrap();
    assert!(new);
    let (_, renewed) = licence(&text, &published);
    assert_eq!(renewed.site_id, site_id);
    assert_eq!(renewed.issued_at, app.clock.now());
    let terms = renewed.offline.unwrap();
    assert_eq!(terms.nonce, reval.nonce);
    assert_eq!(terms.revalidate_by, Some(app.clock.now() + DAY * 90));
    assert_eq!(renewed.check_deadline, app.clock.now() + DAY * 100);
    // A revalidation by file counts as the site's check (recorded in batches).
    let now = app.clock.now();
    let checked = until("the check recorded", async || {
        site(&app, &site_id)
            .await
            .last_validated_at
            .map(|t| t.parse::<Timestamp>().unwrap())
    })
    .await;
    assert_eq!(checked, now);

    // A revalidation from a machine the installation is not bound to: nothing to renew.
    let stranger = request(
        OfflineRequestKind::Revalidation,
        &keys[0],
        &fp('d'),
        app.clock.now(),
    );
    refused(
        jack.answer_own_offline_request(&file(&stranger)).await,
        StatusCode::CONFLICT,
        "OFFLINE_SITE_NOT_ACTIVE",
    );
    // A revoked key is not renewed; the answer says why.
    app.api()
        .revoke_key(
            &keys[0],
            &tessera_api::RevokeKey {
                reason: "refunded".into(),
            },
        )
        .await
        .unwrap();
    let late = request(
        OfflineRequestKind::Revalidation,
        &keys[0],
        &fp('a'),
        app.clock.now(),
    );
    refused(
        jack.answer_own_offline_request(&file(&late)).await,
        StatusCode::FORBIDDEN,
        "LICENSE_REVOKED",
    );
}

both_backends!(offline_policy_decides_and_the_licence_says_which,);

async fn offline_policy_decides_and_the_licence_says_which(app: TestApp) {
    let (keys, _) = jack(&app, 2, 0).await;
    let published = published(&app).await;
    let jack = app.api_as(Some(&account_login(&app, "jack").await));
    let req = request(
        OfflineRequestKind::Activation,
        &keys[0],
        &fp('a'),
        app.clock.now(),
    );

    // A product without an offline policy refuses request files.
    let product: Product = app.api().product("crm").await.unwrap();
    assert_eq!(
        (product.offline_policy.as_str(), product.offline_check_days),
        ("none", None)
    );
    refused(
        jack.answer_own_offline_request(&file(&req)).await,
        StatusCode::CONFLICT,
        "OFFLINE_NOT_ALLOWED",
    );
    for (policy, days) in [("periodic", None), ("perpetual", Some(5)), ("weekly", None)] {
        let body = tessera_api::SetOfflinePolicy {
            offline_policy: policy.into(),
            offline_check_days: days,
        };
        refused(
            app.api().set_offline_policy("crm", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "OFFLINE_POLICY_INVALID",
        );
    }

    // Perpetual: no revalidation date, a deadline no client reaches.
    offline_policy(&app, "crm", "perpetual", None).await;
    let (_, text) = jack.answer_own_offline_request(&file(&req)).await.unwrap();
    let (_, lic) = licence(&text, &published);
    let terms = lic.offline.unwrap();
    assert_eq!(terms.policy, OfflineMode::Perpetual);
    assert_eq!((terms.revalidate_by, terms.check_days), (None, None));
    assert_eq!(lic.check_deadline, perpetual_deadline());

    // The machine licensed by file never checks online, so the account cannot release the
    // installation (that machine would run on beside the next): only an operator can, for
    // a machine that is gone. A request refused meanwhile is not used up: once the
    // installation is released, the same file is answered.
    assert!(site(&app, &lic.site_id).await.by_file);
    let moved = request(
        OfflineRequestKind::Activation,
        &keys[0],
        &fp('f'),
        app.clock.now(),
    );
    refused(
        jack.answer_own_offline_request(&file(&moved)).await,
        StatusCode::CONFLICT,
        "LICENSED_BY_FILE",
    );
    refused(
        jack.deactivate_own_site(&lic.site_id).await,
        StatusCode::CONFLICT,
        "LICENSED_BY_FILE",
    );
    let released = app.api().deactivate_site(&lic.site_id).await.unwrap();
    assert_eq!(
        (released.status.as_str(), released.by_file),
        ("deactivated", false)
    );
    let (new, text) = jack
        .answer_own_offline_request(&file(&moved))
        .await
        .unwrap();
    assert!(new);
    assert_eq!(licence(&text, &published).1.fingerprint, fp('f'));

    // An online licence has no offline terms (and old clients see the fields they know).
    // Asking online for the same machine proves nothing about it (the account knows key,
    // email and fingerprint), so the installation stays licensed by file.
    let online: ActivationResponse = activated(
        activate(&app, EMAIL, &keys[0], &fp('f')).await,
        StatusCode::OK,
    )
    .await;
    let payload = B64.decode(&online.license.payload).unwrap();
    assert!(!String::from_utf8(payload).unwrap().contains("offline"));
    assert!(site(&app, &lic.site_id).await.by_file);
    refused(
        jack.deactivate_own_site(&lic.site_id).await,
        StatusCode::CONFLICT,
        "LICENSED_BY_FILE",
    );

    // Another account's superadmin cannot answer for jack's keys; the operator can.
    let other_keys = product_with_keys(&app, "fuel", 1, 0).await;
    register(&app, "anna", "anna@example.com", IT_VATS[1], &other_keys[0]).await;
    let anna = app.api_as(Some(&account_login(&app, "anna").await));
    let jacks = request(
        OfflineRequestKind::Activation,
        &keys[0],
        &fp('e'),
        app.clock.now(),
    );
    refused(
        anna.answer_own_offline_request(&file(&jacks)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    );
    // A key not registered yet is not valid either.
    let second = request(
        OfflineRequestKind::Activation,
        &keys[1],
        &fp('e'),
        app.clock.now(),
    );
    refused(
        jack.answer_own_offline_request(&file(&second)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    );
    let (new, _) = app.api().answer_offline_request(&file(&req)).await.unwrap();
    assert!(
        !new,
        "the operator sees the same answer to the same request"
    );
}

both_backends!(a_machine_licensed_by_file_does_not_move_whatever_the_transfers,);

/// One key, one running machine: a product that lets a key move twice still does not move
/// it away from a machine licensed by file, online or by file; the same machine is answered
/// again, and nothing moved (fingerprint and transfers as they were).
async fn a_machine_licensed_by_file_does_not_move_whatever_the_transfers(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 2).await;
    offline_policy(&app, "crm", "periodic", Some(30)).await;
    let jack = app.api_as(Some(&account_login(&app, "jack").await));
    let now = app.clock.now();
    let first = request(OfflineRequestKind::Activation, &keys[0], &fp('a'), now);
    jack.answer_own_offline_request(&file(&first))
        .await
        .unwrap();
    error(
        activate(&app, EMAIL, &keys[0], &fp('b')).await,
        StatusCode::CONFLICT,
        "LICENSED_BY_FILE",
    )
    .await;
    let elsewhere = request(OfflineRequestKind::Activation, &keys[0], &fp('c'), now);
    refused(
        jack.answer_own_offline_request(&file(&elsewhere)).await,
        StatusCode::CONFLICT,
        "LICENSED_BY_FILE",
    );
    let again = request(OfflineRequestKind::Activation, &keys[0], &fp('a'), now);
    let (new, _) = jack
        .answer_own_offline_request(&file(&again))
        .await
        .unwrap();
    assert!(new, "a new request of the same machine is answered");
    let s = site(&app, &site_id).await;
    assert_eq!(
        (
            s.status.as_str(),
            s.fingerprint.as_deref(),
            s.transfers,
            s.by_file
        ),
        ("active", Some(fp('a').as_str()), 0, true)
    );

    // A machine bound online that renews by file runs on that licence from then on: it is
    // licensed by file too.
    app.api().deactivate_site(&site_id).await.unwrap();
    activated(
        activate(&app, EMAIL, &keys[0], &fp('d')).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(!site(&app, &site_id).await.by_file);
    let renew = request(OfflineRequestKind::Revalidation, &keys[0], &fp('d'), now);
    jack.answer_own_offline_request(&file(&renew))
        .await
        .unwrap();
    assert!(site(&app, &site_id).await.by_file);
    refused(
        jack.deactivate_own_site(&site_id).await,
        StatusCode::CONFLICT,
        "LICENSED_BY_FILE",
    );
}

both_backends!(one_nonce_binds_one_machine_even_at_the_same_moment,);

async fn one_nonce_binds_one_machine_even_at_the_same_moment(app: TestApp) {
    // Transfers allowed, and each round starts with the installation released (by an
    // operator: a machine licensed by file moves no other way): only the nonce keeps a
    // second machine out.
    let (keys, site_id) = jack(&app, 1, 5).await;
    offline_policy(&app, "crm", "perpetual", None).await;
    let published = published(&app).await;
    let jack = app.api_as(Some(&account_login(&app, "jack").await));
    for round in 0..5u8 {
        let a = request(
            OfflineRequestKind::Activation,
            &keys[0],
            &machine(2 * round + 1),
            app.clock.now(),
        );
        let b = OfflineRequest {
            fingerprint: machine(2 * round + 2),
            ..a.clone()
        };
        let (file_a, file_b, operator) = (file(&a), file(&b), app.api());
        let (first, second) = tokio::join!(
            jack.answer_own_offline_request(&file_a),
            operator.answer_offline_request(&file_b)
        );
        let (winner, text) = match (first, second) {
            (Ok((_, text)), Err(e)) => {
                refused::<()>(Err(e), StatusCode::CONFLICT, "OFFLINE_REQUEST_USED");
                (a.fingerprint.clone(), text)
            }
            (Err(e), Ok((_, text))) => {
                refused::<()>(Err(e), StatusCode::CONFLICT, "OFFLINE_REQUEST_USED");
                (b.fingerprint.clone(), text)
            }
            other => panic!("round {round}: exactly one answer, got {other:?}"),
        };
        let (_, lic) = licence(&text, &published);
        assert_eq!(lic.fingerprint, winner);
        assert_eq!(
            site(&app, &site_id).await.fingerprint.as_deref(),
            Some(winner.as_str()),
            "the installation is bound to the machine that got the file"
        );
        app.api().deactivate_site(&site_id).await.unwrap();
    }
}

both_backends!(a_deactivation_signed_by_the_machine_releases_it,);

/// The account's superadmin releases a machine licensed by file with the deactivation that
/// machine signed with the key its activation named, giving up its newest licence by file;
/// nobody else's signature does, a later request of "the same machine" cannot replace the
/// key kept (its licence names the kept one), and a deactivation of an older licence
/// releases nothing. A machine that named no key is released by the vendor only.
async fn a_deactivation_signed_by_the_machine_releases_it(app: TestApp) {
    use tessera_core::offline::{MachineKey, ReleaseReceipt};
    let (keys, site_id) = jack(&app, 1, 0).await;
    offline_policy(&app, "crm", "perpetual", None).await;
    let jack = app.api_as(Some(&account_login(&app, "jack").await));
    let now = app.clock.now();
    let machine = MachineKey::from_seed([1; 32]);
    let forger = MachineKey::from_seed([2; 32]);
    let mut first = request(OfflineRequestKind::Activation, &keys[0], &fp('a'), now);
    first.machine_key = Some(machine.public_hex());
    jack.answer_own_offline_request(&file(&first))
        .await
        .unwrap();
    // Whoever knows the key, the account and the fingerprint can write "the same machine"
    // again with a key of their own: answered, but the key kept is the first.
    let mut again = request(OfflineRequestKind::Activation, &keys[0], &fp('a'), now);
    again.machine_key = Some(forger.public_hex());
    let (_, text) = jack
        .answer_own_offline_request(&file(&again))
        .await
        .unwrap();
    let (_, lic) = licence(&text, &published(&app).await);
    assert_eq!(
        lic.offline.unwrap().machine_key,
        Some(machine.public_hex()),
        "the licence names the key kept"
    );
    // The newest licence by file is `again`'s.
    let newest = again.nonce.clone();
    let deactivation_of = |key: &MachineKey, machine: &str, licence: &str| {
        let mut d = request(OfflineRequestKind::Deactivation, &keys[0], machine, now);
        d.machine_key = Some(key.public_hex());
        d.activation_nonce = Some(licence.to_owned());
        d.to_signed_file(key)
    };
    let deactivation = |key: &MachineKey, machine: &str| deactivation_of(key, machine, &newest);
    // The machine's key, but an older licence than the newest: nothing released.
    refused(
        jack.answer_own_offline_request(&deactivation_of(&machine, &fp('a'), &first.nonce))
            .await,
        StatusCode::CONFLICT,
        "OFFLINE_SITE_NOT_ACTIVE",
    );
    // Signed by another key than the machine's: refused, nothing released.
    refused(
        jack.answer_own_offline_request(&deactivation(&forger, &fp('a')))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "OFFLINE_REQUEST_INVALID",
    );
    // Unsigned: refused as a damaged file.
    let mut unsigned = request(OfflineRequestKind::Deactivation, &keys[0], &fp('a'), now);
    unsigned.machine_key = Some(machine.public_hex());
    unsigned.activation_nonce = Some(newest.clone());
    refused(
        jack.answer_own_offline_request(&file(&unsigned)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "OFFLINE_REQUEST_INVALID",
    );
    // The machine's key, but another machine's fingerprint: no installation there.
    refused(
        jack.answer_own_offline_request(&deactivation(&machine, &fp('b')))
            .await,
        StatusCode::CONFLICT,
        "OFFLINE_SITE_NOT_ACTIVE",
    );
    assert_eq!(site(&app, &site_id).await.status, "active");

    let signed = deactivation(&machine, &fp('a'));
    let (new, text) = jack.answer_own_offline_request(&signed).await.unwrap();
    assert!(new);
    let receipt: ReleaseReceipt = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (receipt.format.as_str(), receipt.site_id.as_str()),
        ("tessera-offline-release/v1", site_id.as_str())
    );
    let s = site(&app, &site_id).await;
    assert_eq!((s.status.as_str(), s.by_file), ("deactivated", false));
    let (new, same) = jack.answer_own_offline_request(&signed).await.unwrap();
    assert_eq!((new, same), (false, text), "the same receipt, 200");
    // Another account's superadmin cannot use it (not its key).
    let other_keys = product_with_keys(&app, "fuel", 1, 0).await;
    register(&app, "anna", "anna@example.com", IT_VATS[1], &other_keys[0]).await;
    let anna = app.api_as(Some(&account_login(&app, "anna").await));
    refused(
        anna.answer_own_offline_request(&deactivation(&machine, &fp('a')))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    );

    // The key moves to a machine whose request names no key (an older client): it is
    // bound by file, and only the vendor releases it.
    let old_client = request(OfflineRequestKind::Activation, &keys[0], &fp('c'), now);
    jack.answer_own_offline_request(&file(&old_client))
        .await
        .unwrap();
    refused(
        jack.answer_own_offline_request(&deactivation(&machine, &fp('c')))
            .await,
        StatusCode::CONFLICT,
        "MACHINE_KEY_UNKNOWN",
    );
    app.api().deactivate_site(&site_id).await.unwrap();
    // Bound online: no key either (its client releases it online).
    activated(
        activate(&app, EMAIL, &keys[0], &fp('d')).await,
        StatusCode::CREATED,
    )
    .await;
    refused(
        jack.answer_own_offline_request(&deactivation(&machine, &fp('d')))
            .await,
        StatusCode::CONFLICT,
        "MACHINE_KEY_UNKNOWN",
    );
    assert_eq!(site(&app, &site_id).await.status, "active");
}
