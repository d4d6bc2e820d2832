//! A site offline while the others changed 1 000 records catches up by pulling, to the
//! same data as every other site (G6).

use super::*;

both_backends!(an_offline_site_catches_up);

async fn an_offline_site_catches_up(app: TestApp) {
    let w = world(&app).await;
    let mut a = Client::new(&app, &w.cloud[0]);
    let mut b = Client::new(&app, &w.cloud[1]);
    let mut c = Client::new(&app, &w.cloud[2]);
    for site in [&a, &b, &c] {
        first_synced(site).await;
    }
    let seed: Vec<_> = (0..10)
        .map(|i| {
            upsert(
                "vehicles",
                &format!("v{i}"),
                0,
                json!({"plate": format!("P{i}"), "ibutton": format!("V{i}")}),
            )
        })
        .collect();
    a.push("a-seed", seed).await.unwrap();
    c.pull_all(100).await;
    b.pull_all(100).await;

    // C goes offline. A and B make 1 000 changes: new drivers, edits and a deletion.
    for round in 0..2 {
        let changes: Vec<_> = (0..250)
            .map(|i| {
                let id = format!("d{round}-{i}");
                upsert(
                    "drivers",
                    &id,
                    0,
                    json!({"name": format!("Driver {i}"), "ibutton": id}),
                )
            })
            .collect();
        let who = if round == 0 { &mut a } else { &mut b };
        let answer = who.push(&format!("new-{round}"), changes).await.unwrap();
        assert!(answer.outcomes.iter().all(|o| o.outcome == "applied"));
    }
    a.pull_all(500).await;
    for round in 0..2 {
        let changes: Vec<_> = a
            .local
            .iter()
            .filter(|((collection, _), _)| collection == "drivers")
            .skip(round * 250)
            .take(250)
            .map(|((_, id), (version, data))| {
                let mut data = data.clone();
                data["name"] = json!(format!("{} (edited)", data["name"].as_str().unwrap()));
                upsert("drivers", id, *version, data)
            })
            .collect();
        let mut all = changes;
        if round == 1 {
            all.pop();
            let version = c.local[&("vehicles".to_owned(), "v0".to_owned())].0;
            all.push(delete("vehicles", "v0", version));
        }
        let answer = a.push(&format!("edit-{round}"), all).await.unwrap();
        assert!(
            answer.outcomes.iter().all(|o| o.outcome == "applied"),
            "{answer:?}"
        );
    }

    // C comes back and pulls in pages: the same data as A and B.
    let came = c.pull_all(100).await;
    assert!(came >= 500, "{came}");
    a.pull_all(500).await;
    b.pull_all(500).await;
    assert_eq!(c.master_hash(), a.master_hash());
    assert_eq!(c.master_hash(), b.master_hash());
    assert_eq!(c.local.keys().filter(|(k, _)| k == "drivers").count(), 500);
    assert!(!c.local.contains_key(&("vehicles".into(), "v0".into())));
    let status = c.api().sync_status(None).await.unwrap();
    assert_eq!(
        (status.state.as_str(), status.pulled_to),
        ("idle", status.latest_version)
    );
    app.stop().await;
}
