//! Activation and revalidation by file (X1): a machine that reaches no server writes a
//! request, the vendor answers it, the machine imports the response and runs on it, and
//! renews a periodic licence the same way. A tampered response, another machine's or an
//! answer to another request is refused.

use tessera_client::{AccountRef, ClientError, OfflineMode, RequestKind, Standing, TrustStore};

use crate::support::*;

/// Both backends; PostgreSQL is skipped (with a warning) where its binaries are missing,
/// unless TESSERA_REQUIRE_PG is set.
fn on_both(story: impl Fn(&DataPlace)) {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if let Some(place) = DataPlace::new(backend) {
            story(&place);
        }
    }
}

/// `client`'s activation request for `key`, naming jack's account by email.
fn activation_request(client: &tessera_client::Client, key: &str) -> Vec<u8> {
    client
        .offline_activation_request(AccountRef::Email(EMAIL.into()), key)
        .unwrap()
}

/// `client` activated by file for `key`: its request answered by the vendor, the answer
/// imported.
fn activate_by_file(
    client: &tessera_client::Client,
    op: &Operator,
    key: &str,
) -> tessera_client::OfflineImported {
    let request = activation_request(client, key);
    client
        .import_offline_response(&op.answer(&request))
        .unwrap()
}

/// A server whose product `crm` is licensed by file with a 30-day revalidation, one key
/// registered to jack, and the vendor's published keys.
fn periodic_vendor(place: &DataPlace) -> (TestServer, Operator, Vec<String>, TrustStore) {
    let server = TestServer::start(place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    op.offline_policy("periodic", Some(30));
    let trust = op.trust();
    (server, op, keys, trust)
}

#[test]
fn a_machine_without_network_activates_and_renews_by_file() {
    on_both(|place| {
        let (server, op, keys, trust) = periodic_vendor(place);
        // Air-gapped: the only server the client knows does not answer.
        let dead = dead_server();
        let machine = Machine::new("machine-1");
        let client = machine.client(&[&dead], &trust);

        let request = activation_request(&client, &keys[0]);
        let pending = client.pending_offline_request().unwrap().unwrap();
        assert_eq!(pending.kind, RequestKind::Activation);
        assert_eq!(pending.fingerprint, client.fingerprint().as_str());
        assert!(pending.nonce.len() >= 32);
        let text = String::from_utf8(request.clone()).unwrap();
        assert!(!text.contains("password") && !text.contains("token"));
        assert_eq!(client.status().standing, Standing::NotActivated);
        let response = op.answer(&request);

        // A response with one byte of its signed licence changed is refused.
        let mut file: serde_json::Value = serde_json::from_slice(&response).unwrap();
        let payload = file["license"]["payload"].as_str().unwrap().to_owned();
        let flipped = if payload.starts_with('e') { "f" } else { "e" };
        file["license"]["payload"] = format!("{flipped}{}", &payload[1..]).into();
        let tampered = serde_json::to_vec(&file).unwrap();
        let err = client.import_offline_response(&tampered).unwrap_err();
        assert_eq!(err.code(), "OFFLINE_RESPONSE_INVALID", "{err}");
        let err = client.import_offline_response(b"{\"format\":").unwrap_err();
        assert_eq!(err.code(), "OFFLINE_RESPONSE_INVALID", "{err}");
        // Another machine with a request of its own cannot take this machine's answer.
        let other = Machine::new("machine-2");
        let other_client = other.client(&[&dead], &trust);
        activation_request(&other_client, &keys[0]);
        let err = other_client.import_offline_response(&response).unwrap_err();
        assert!(matches!(err, ClientError::WrongMachine), "{err}");
        assert_eq!(client.status().standing, Standing::NotActivated);

        let imported = client.import_offline_response(&response).unwrap();
        assert_eq!(imported.kind, RequestKind::Activation);
        assert_eq!(imported.terms.policy, OfflineMode::Periodic);
        assert_eq!(imported.terms.revalidate_by, Some(start_time() + DAY * 30));
        let status = client.status();
        assert_eq!(status.standing, Standing::Valid { days_left: 40 });
        assert_eq!(status.edition(), Some("std"));
        assert!(client.pending_offline_request().unwrap().is_none());
        // Imported once: no pending request to answer any more.
        let err = client.import_offline_response(&response).unwrap_err();
        assert!(matches!(err, ClientError::OfflineNoPendingRequest), "{err}");
        // The state survives a restart, offline.
        drop(client);
        let client = machine.client(&[&dead], &trust);
        assert_eq!(client.status().standing, Standing::Valid { days_left: 40 });

        // Past the revalidation date the grace days run, then the product locks.
        machine.set_both(&server, start_time() + DAY * 38);
        assert_eq!(client.status().standing, Standing::Warning { days_left: 2 });
        machine.set_both(&server, start_time() + DAY * 41);
        assert_eq!(
            client.status().standing,
            Standing::Locked(tessera_client::LockReason::GraceOver)
        );

        // Renewal by file: an answer to an older request is refused, the newest one taken.
        let op = server.operator();
        let first = client.offline_revalidation_request().unwrap();
        let first_answer = op.answer(&first);
        let second = client.offline_revalidation_request().unwrap();
        let err = client.import_offline_response(&first_answer).unwrap_err();
        assert!(
            matches!(err, ClientError::OfflineResponseNotPending),
            "{err}"
        );
        let renewed = client.import_offline_response(&op.answer(&second)).unwrap();
        assert_eq!(renewed.kind, RequestKind::Revalidation);
        assert_eq!(
            renewed.terms.revalidate_by,
            Some(start_time() + DAY * 71),
            "thirty days from the answer"
        );
        assert_eq!(client.status().standing, Standing::Valid { days_left: 40 });
    });
}

#[test]
fn a_perpetual_licence_by_file_needs_no_revalidation() {
    let Some(place) = DataPlace::new(Backend::Sqlite) else {
        return;
    };
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    op.offline_policy("perpetual", None);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    let client = machine.client(&[&dead_server()], &trust);
    let imported = activate_by_file(&client, &op, &keys[0]);
    assert_eq!(imported.terms.policy, OfflineMode::Perpetual);
    assert_eq!(imported.terms.revalidate_by, None);
    machine.clock.set(start_time() + DAY * 3650);
    assert!(client.status().may_run(), "ten years on, still running");
    // An online activation's client cannot ask for a revalidation by file.
    let online = Machine::new("machine-3");
    let err = online
        .client(&[&dead_server()], &trust)
        .offline_revalidation_request()
        .unwrap_err();
    assert!(matches!(err, ClientError::NotActivated), "{err}");
}

/// A machine licensed by file moves: its client writes a deactivation signed with the key
/// its activation named (after a renewal too) and deletes its licence in the same call; the
/// upload releases the installation, and the key then activates another machine by file.
/// The same deactivation again gets the same receipt and releases nothing more.
#[test]
fn a_machine_licensed_by_file_moves_with_a_deactivation_file() {
    on_both(|place| {
        let (_server, op, keys, trust) = periodic_vendor(place);
        let dead = dead_server();
        let machine = Machine::new("machine-1");
        let client = machine.client(&[&dead], &trust);
        // Not activated at all: nothing to deactivate.
        let err = client.offline_deactivation_request().unwrap_err();
        assert!(matches!(err, ClientError::NotActivated), "{err}");

        let request = activation_request(&client, &keys[0]);
        let pending = client.pending_offline_request().unwrap().unwrap();
        let named = pending
            .machine_key
            .clone()
            .expect("an activation names its key");
        assert_eq!(named.len(), 64);
        let site_id = client
            .import_offline_response(&op.answer(&request))
            .unwrap()
            .site_id;
        // A renewal keeps the key the server holds: the deactivation below still verifies.
        let renewal = client.offline_revalidation_request().unwrap();
        assert!(
            client
                .pending_offline_request()
                .unwrap()
                .unwrap()
                .machine_key
                .is_none()
        );
        client
            .import_offline_response(&op.answer(&renewal))
            .unwrap();
        assert!(client.status().may_run());

        let deactivation = client.offline_deactivation_request().unwrap();
        assert_eq!(client.status().standing, Standing::NotActivated);
        let file = tessera_core::offline::parse_request_file(&deactivation).unwrap();
        assert_eq!(file.request.kind, RequestKind::Deactivation);
        assert_eq!(file.request.machine_key.as_deref(), Some(named.as_str()));
        assert_eq!(file.request.installation.as_deref(), Some(site_id.as_str()));
        // Gone from disk too, and asked again the same file comes back (one lost on the
        // way can be written out again).
        let restarted = machine.client(&[&dead], &trust);
        assert_eq!(restarted.status().standing, Standing::NotActivated);
        assert_eq!(
            restarted.offline_deactivation_request().unwrap(),
            deactivation
        );
        assert_eq!(op.site(&site_id).status, "active");

        let receipt = op.answer(&deactivation);
        let read: tessera_core::offline::ReleaseReceipt = serde_json::from_slice(&receipt).unwrap();
        assert_eq!(read.format, tessera_core::offline::RELEASE_FORMAT);
        assert_eq!(read.site_id, site_id);
        let site = op.site(&site_id);
        assert_eq!(site.status, "deactivated");
        assert!(!site.by_file);
        assert_eq!(op.answer(&deactivation), receipt, "the same receipt again");

        // The key moves: another machine activates by file and runs.
        let other = Machine::new("machine-2");
        let other_client = other.client(&[&dead], &trust);
        let moved = activate_by_file(&other_client, &op, &keys[0]);
        assert_eq!(moved.site_id, site_id);
        assert!(other_client.status().may_run());
        // The first machine's old deactivation releases nothing now: the same receipt.
        assert_eq!(op.answer(&deactivation), receipt);
        assert_eq!(op.site(&site_id).status, "active");
    });
}

/// The account cannot bind the machine first with a key of its own: it reads the
/// machine's fingerprint off the machine's request and answers a forged request naming its
/// key; the server keeps that key, so the machine's own answer names it, and the client
/// refuses that licence (a deactivation the account signed would release the installation
/// while the machine ran).
#[test]
fn a_licence_naming_another_machine_key_is_not_imported() {
    on_both(|place| {
        use tessera_core::offline::{MachineKey, parse_request};
        let (_server, op, keys, trust) = periodic_vendor(place);
        let machine = Machine::new("machine-1");
        let client = machine.client(&[&dead_server()], &trust);
        let request = activation_request(&client, &keys[0]);
        let theirs = MachineKey::from_seed([9; 32]);
        let mut forged = parse_request(&request).unwrap();
        forged.nonce = "ab".repeat(16);
        forged.machine_key = Some(theirs.public_hex());
        op.answer(&forged.to_file());
        let err = client
            .import_offline_response(&op.answer(&request))
            .unwrap_err();
        assert_eq!(err.code(), "OFFLINE_RESPONSE_INVALID", "{err}");
        assert!(err.to_string().contains("another machine key"), "{err}");
        assert_eq!(client.status().standing, Standing::NotActivated);
    });
}

/// Activated again by file (its state lost, say), the same machine names the same key, so
/// its deactivation still works; the deactivation written before the new licence releases
/// nothing (it gives up a licence the machine no longer holds).
#[test]
fn an_older_deactivation_releases_nothing_once_the_machine_is_licensed_again() {
    on_both(|place| {
        let (_server, op, keys, trust) = periodic_vendor(place);
        let machine = Machine::new("machine-1");
        let client = machine.client(&[&dead_server()], &trust);
        let activate = || activate_by_file(&client, &op, &keys[0]);
        let site_id = activate().site_id;
        let old = client.offline_deactivation_request().unwrap();
        activate();
        assert!(client.status().may_run());
        assert_eq!(op.refused_answer(&old), "OFFLINE_SITE_NOT_ACTIVE");
        assert_eq!(op.site(&site_id).status, "active");
        let new = client.offline_deactivation_request().unwrap();
        op.answer(&new);
        assert_eq!(op.site(&site_id).status, "deactivated");
    });
}

/// After the deactivation, the request file carried to the vendor is put back by hand as
/// the pending request and the response imported again: refused, the pending request is
/// the client's own (under the state file's MAC), so the machine stays unlicensed.
#[test]
fn a_given_up_licence_cannot_be_imported_again() {
    on_both(|place| {
        let (_server, op, keys, trust) = periodic_vendor(place);
        let machine = Machine::new("machine-1");
        let client = machine.client(&[&dead_server()], &trust);
        let request = activation_request(&client, &keys[0]);
        let response = op.answer(&request);
        client.import_offline_response(&response).unwrap();
        client.offline_deactivation_request().unwrap();
        let mut pending = machine.state_path().into_os_string();
        pending.push(".offline-request");
        std::fs::write(&pending, &request).unwrap();
        let err = client.import_offline_response(&response).unwrap_err();
        assert!(matches!(err, ClientError::OfflineNoPendingRequest), "{err}");
        assert_eq!(client.status().standing, Standing::NotActivated);
    });
}

/// A licence by file whose machine named no key (bound by an older client's request): the
/// client says so before giving anything up, and keeps its licence.
#[test]
fn without_a_machine_key_the_licence_is_kept() {
    on_both(|place| {
        use tessera_core::offline::parse_request;
        let (_server, op, keys, trust) = periodic_vendor(place);
        let machine = Machine::new("machine-1");
        let client = machine.client(&[&dead_server()], &trust);
        // An older client's request for this machine binds it without a key first.
        let request = activation_request(&client, &keys[0]);
        let mut older = parse_request(&request).unwrap();
        older.nonce = "cd".repeat(16);
        older.machine_key = None;
        op.answer(&older.to_file());
        client
            .import_offline_response(&op.answer(&request))
            .unwrap();
        let err = client.offline_deactivation_request().unwrap_err();
        assert!(matches!(err, ClientError::MachineKeyUnknown), "{err}");
        assert!(client.status().may_run(), "the licence is kept");
    });
}

/// A renewal answered but never imported (the deactivation written meanwhile replaced the
/// pending request) does not make the deactivation useless: it names the activation, which
/// renewals do not change.
#[test]
fn a_renewal_answered_after_the_deactivation_was_written_does_not_block_it() {
    on_both(|place| {
        let (_server, op, keys, trust) = periodic_vendor(place);
        let machine = Machine::new("machine-1");
        let client = machine.client(&[&dead_server()], &trust);
        let site_id = activate_by_file(&client, &op, &keys[0]).site_id;
        let renewal = client.offline_revalidation_request().unwrap();
        let deactivation = client.offline_deactivation_request().unwrap();
        op.answer(&renewal);
        op.answer(&deactivation);
        assert_eq!(op.site(&site_id).status, "deactivated");
    });
}

/// Another process of the machine still holds the licence in memory when the deactivation
/// is written (the agent's service, say): its next check, failing without a network, does
/// not write the licence back, even after a new activation request replaced the pending
/// one; it forgets it, and nothing brings it back at the next start. Nor does a process
/// still holding it overwrite the licence of a later activation.
#[test]
fn another_process_does_not_write_a_given_up_licence_back() {
    on_both(|place| {
        let (_server, op, keys, trust) = periodic_vendor(place);
        let machine = Machine::new("machine-1");
        let dead = dead_server();
        let client = machine.client(&[&dead], &trust);
        activate_by_file(&client, &op, &keys[0]);
        let service = machine.client(&[&dead], &trust);
        let stale = machine.client(&[&dead], &trust);
        assert!(service.status().may_run() && stale.status().may_run());
        client.offline_deactivation_request().unwrap();
        let again = activation_request(&client, &keys[0]);
        machine.clock.set(start_time() + DAY);
        assert!(service.validate_now().is_err());
        assert_eq!(service.status().standing, Standing::NotActivated);
        assert!(!machine.state_path().exists());
        let restarted = machine.client(&[&dead], &trust);
        assert_eq!(restarted.status().standing, Standing::NotActivated);
        // Nor a renewal written from the given-up licence held in memory.
        let err = stale.offline_revalidation_request().unwrap_err();
        assert!(matches!(err, ClientError::NotActivated), "{err}");

        // Activated again: a process that held the old licence does not overwrite it.
        let renewed = client.import_offline_response(&op.answer(&again)).unwrap();
        let other = machine.client(&[&dead], &trust);
        client.offline_deactivation_request().unwrap();
        let third = activation_request(&client, &keys[0]);
        client.import_offline_response(&op.answer(&third)).unwrap();
        machine.clock.set(start_time() + DAY * 2);
        assert!(other.validate_now().is_err());
        assert_eq!(other.status().standing, Standing::NotActivated);
        let restarted = machine.client(&[&dead], &trust);
        assert!(restarted.status().may_run());
        // The licence on disk is the newest one: its deactivation releases the installation.
        op.answer(&restarted.offline_deactivation_request().unwrap());
        assert_eq!(op.site(&renewed.site_id).status, "deactivated");
    });
}

/// A licence that cannot be deleted (here the state file is a directory by then) is not
/// given up: the call fails, the program runs on, and no signed file is left behind.
#[test]
fn a_licence_that_cannot_be_deleted_leaves_no_deactivation() {
    let Some(place) = DataPlace::new(Backend::Sqlite) else {
        return;
    };
    let (_server, op, keys, trust) = periodic_vendor(&place);
    let machine = Machine::new("machine-1");
    let client = machine.client(&[&dead_server()], &trust);
    activate_by_file(&client, &op, &keys[0]);
    std::fs::remove_file(machine.state_path()).unwrap();
    std::fs::create_dir(machine.state_path()).unwrap();
    assert!(client.offline_deactivation_request().is_err());
    assert!(client.status().may_run());
    let mut given_up = machine.state_path().into_os_string();
    given_up.push(".given-up");
    assert!(!std::path::Path::new(&given_up).exists());
}

/// A process still holding a licence another process gave up, asked to deactivate it, gives
/// back the file already written for it and forgets the licence; it neither deletes the
/// later licence on disk nor writes a second tombstone.
#[test]
fn a_process_holding_a_given_up_licence_gives_back_its_file() {
    on_both(|place| {
        let (_server, op, keys, trust) = periodic_vendor(place);
        let machine = Machine::new("machine-1");
        let dead = dead_server();
        let client = machine.client(&[&dead], &trust);
        activate_by_file(&client, &op, &keys[0]);
        let program = machine.client(&[&dead], &trust);
        let first = client.offline_deactivation_request().unwrap();
        let again = activation_request(&client, &keys[0]);
        client.import_offline_response(&op.answer(&again)).unwrap();
        assert_eq!(program.offline_deactivation_request().unwrap(), first);
        assert_eq!(program.status().standing, Standing::NotActivated);
        let restarted = machine.client(&[&dead], &trust);
        assert!(
            restarted.status().may_run(),
            "the later licence is still there"
        );
    });
}
