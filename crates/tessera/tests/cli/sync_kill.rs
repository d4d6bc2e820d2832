//! A push whose server is killed with SIGKILL while it works on the batch (G6): the real
//! `tessera serve`, killed at moments spread over the time a push of 500 changes takes, and
//! once after it wrote its answer, which the site never read; then started again on the
//! same data, and the site sends the same batch again, as its outbox does. Whatever the
//! moment, every change is in the cloud once: the account's versions count exactly one per
//! change, the answer to the batch sent again says `applied` with the versions the cloud
//! holds (kept from before the kill, `replayed`, or given now), and a pull finds each record
//! once with that version.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;

use serde_json::json;
use tessera_api::{PushAnswer, PushChange, PushRequest};
use tessera_api_client::ApiClient;
use tessera_testkit::sync::{connected, driver, first_sync};
use tessera_testkit::{Backend, BlockingApp, DataPlace, free_port};

use crate::server::serve_at;

const CHANGES: usize = 500;

pub(crate) fn a_push_cut_by_kill_9_is_in_the_cloud_once(backend: Backend) {
    let Some(place) = DataPlace::new(backend) else {
        return;
    };
    // The account and its connected site, made in process, which then stops: from here on
    // the real binary serves the same data.
    let mut app = BlockingApp::start(&place, |_| {});
    app.clock.set(jiff::Timestamp::now());
    app.sign_in();
    let world = app.block_on(connected(&app));
    let cloud_token = world.cloud[0].clone();
    app.block_on(first_sync(
        &app,
        &cloud_token,
        "first",
        vec![driver("d0", "IB-0", "Anna")],
    ));
    app.stop();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listen = format!("127.0.0.1:{}", free_port());
    let url = place.database_url.as_deref();
    let mut server = serve_at(&listen, place.data_dir(), url, None);
    let api = ApiClient::new(&server.url).with_token(cloud_token.clone());
    // How long a push of 500 changes takes here, so the kills land over all of it.
    let started = Instant::now();
    let answer = runtime.block_on(api.push_changes(&batch("timed"))).unwrap();
    let took = started.elapsed();
    assert!(answer.outcomes.iter().all(|o| o.outcome == "applied"));
    let mut expected_versions = 1 + CHANGES as i64;

    let mut seen = Vec::new();
    let moments = [0u32, 1, 2, 3, 5, 7, 10, 14, 20, 30].map(Some);
    for (round, tenths) in moments.into_iter().chain([None]).enumerate() {
        let req = batch(&format!("round-{round}"));
        let body = serde_json::to_vec(&req).unwrap();
        let mut tcp = TcpStream::connect(&listen).unwrap();
        let head = format!(
            "POST /api/v1/cloud/sync/push HTTP/1.1\r\nHost: {listen}\r\n\
             Authorization: Bearer {cloud_token}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        );
        tcp.write_all(head.as_bytes()).unwrap();
        tcp.write_all(&body).unwrap();
        match tenths {
            Some(tenths) => std::thread::sleep(took * tenths / 10),
            None => {
                // The last round: the answer was written, the site never read it.
                let mut head = [0u8; 12];
                tcp.read_exact(&mut head).unwrap();
                assert_eq!(&head, b"HTTP/1.1 200");
            }
        }
        server.kill_9();

        server = serve_at(&listen, place.data_dir(), url, None);
        let api = ApiClient::new(&server.url).with_token(cloud_token.clone());
        let answer = runtime.block_on(api.push_changes(&req)).unwrap();
        seen.push(answer.replayed);
        expected_versions += CHANGES as i64;
        once_in_the_cloud(&runtime, &api, &req, &answer, expected_versions);
    }
    // An answer written before the kill was kept with the changes it reports.
    assert_eq!(seen.last(), Some(&true), "the answered batch is replayed");
    // Which other rounds the kill came before the commit and which after depends on the
    // machine; both end with one copy. Said for whoever reads the test's output.
    eprintln!("push of {CHANGES} took {took:?}; replayed after each kill: {seen:?}");
}

/// A batch of 500 new drivers, about 300 bytes each.
fn batch(tag: &str) -> PushRequest {
    let changes: Vec<PushChange> = (0..CHANGES)
        .map(|i| {
            let mut change = driver(&format!("{tag}-{i}"), &format!("{tag}-IB-{i}"), "Driver");
            change.data = Some(json!({
                "ibutton": format!("{tag}-IB-{i}"),
                "name": format!("Driver {i} of {tag}"),
                "notes": "x".repeat(220),
            }));
            change
        })
        .collect();
    PushRequest {
        batch_id: tag.into(),
        client_time: jiff::Timestamp::now().to_string(),
        changes,
    }
}

fn once_in_the_cloud(
    runtime: &tokio::runtime::Runtime,
    api: &ApiClient,
    req: &PushRequest,
    answer: &PushAnswer,
    expected_versions: i64,
) {
    let now = jiff::Timestamp::now().to_string();
    let status = runtime.block_on(api.sync_status(Some(&now))).unwrap();
    assert_eq!(
        status.latest_version, expected_versions,
        "{}: one version per change, none twice",
        req.batch_id
    );
    assert_eq!(answer.outcomes.len(), CHANGES);
    assert!(
        answer.outcomes.iter().all(|o| o.outcome == "applied"),
        "{}: {:?}",
        req.batch_id,
        answer.outcomes.first()
    );
    // Pull the last 500 versions: each of the batch's records once, at the answer's version.
    let from = expected_versions - CHANGES as i64;
    let page = runtime
        .block_on(api.pull_changes(from, CHANGES as u32, &now))
        .unwrap();
    assert!(!page.more);
    let pulled: Vec<(&str, i64)> = page
        .records
        .iter()
        .map(|r| (r.id.as_str(), r.version))
        .collect();
    let answered: Vec<(&str, i64)> = answer
        .outcomes
        .iter()
        .map(|o| (o.id.as_str(), o.version.unwrap()))
        .collect();
    assert_eq!(pulled, answered, "{}", req.batch_id);
}
