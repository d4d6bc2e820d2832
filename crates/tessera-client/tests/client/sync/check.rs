//! The data check before the code exchange (E7): each offending record named — by the
//! collection rules run here over all records (a duplicate the server's 5 000-record calls
//! would not see together), by the vendor's own checks, and by the cloud (a value another
//! site already put there) — and a failed check blocks the exchange unless told otherwise.

use serde_json::json;
use tessera_client::sync::FindingSource;
use tessera_client::{ClientError, Finding, LocalRecord, VendorCheck};
use tessera_testkit::cloud::fuel_collections;

use super::*;

fn record(collection: &str, id: &str, data: Value) -> LocalRecord {
    LocalRecord {
        collection: collection.into(),
        id: id.into(),
        data,
    }
}

#[test]
fn the_data_check_names_each_offending_record() {
    let Some(mut w) = CloudWorld::start(Backend::Sqlite, 2) else {
        return;
    };
    // Site b is in the cloud with driver IB-77.
    w.connect(1);
    let b = &w.sites[1].client;
    b.record(Change::upsert(
        "drivers",
        "b-anna",
        0,
        json!({"ibutton": "IB-77", "name": "Anna"}),
    ))
    .unwrap();
    b.first_sync(&mut Host::default()).unwrap();

    // Site a ships the product's collections, so the rules run here over all its records.
    w.reopen_with(0, |cfg| cfg.sync.collections = fuel_collections());
    let mut records: Vec<LocalRecord> = (0..5001)
        .map(|i| {
            let data = json!({"litres": i, "number": i});
            record("transactions", &format!("t{i}"), data)
        })
        .collect();
    // Two drivers with one iButton, 5 000 records apart: no single dry run holds both.
    records[0] = record("drivers", "d1", json!({"ibutton": "IB-1", "name": "Bob"}));
    records[5000] = record("drivers", "d2", json!({"ibutton": "IB-1", "name": "Carl"}));
    records.extend([
        record("users", "u1", json!({"nickname": "", "web_user": true})),
        record(
            "drivers",
            "d3",
            json!({"ibutton": "IB-77", "name": "Annie"}),
        ),
        record("pumps", "p1", json!({"n": 1})),
        record("vehicles", "v1", json!("not an object")),
    ]);
    // Seed 000's vendor check, on what the program knows besides its synced data: every
    // dispenser set up for vehicle identification.
    let dispensers = [("disp-1", false), ("disp-2", true)];
    let dispensers_identify_vehicles = |_: &[LocalRecord]| -> Vec<Finding> {
        dispensers
            .iter()
            .filter(|(_, on)| !on)
            .map(|(id, _)| {
                let message = format!("dispenser {id} is not set up for vehicle identification");
                Finding::vendor("dispensers", *id, "vehicle_identification_off", message)
            })
            .collect()
    };
    let checks: [&dyn VendorCheck; 1] = [&dispensers_identify_vehicles];
    let a = &w.sites[0].client;
    let found = a.check_data(&records, &checks).unwrap();
    let named: Vec<(FindingSource, &str, &str, &str)> = found
        .iter()
        .map(|f| {
            (
                f.source,
                f.collection.as_str(),
                f.id.as_str(),
                f.problem.as_str(),
            )
        })
        .collect();
    use FindingSource::*;
    for want in [
        (Rules, "drivers", "d2", "duplicate"),
        (Rules, "users", "u1", "missing_field"),
        (Cloud, "drivers", "d3", "held_in_cloud"),
        (Rules, "pumps", "p1", "unknown_collection"),
        (Rules, "vehicles", "v1", "invalid_record"),
        (Vendor, "dispensers", "disp-1", "vehicle_identification_off"),
    ] {
        assert!(named.contains(&want), "{want:?} in {named:#?}");
    }
    let dup = found.iter().find(|f| f.problem == "duplicate").unwrap();
    assert_eq!(dup.other_id.as_deref(), Some("d1"));
    let cloud = found.iter().find(|f| f.problem == "held_in_cloud").unwrap();
    assert_eq!(cloud.other_id.as_deref(), Some("b-anna"));
    assert!(cloud.message.contains("d3"), "{}", cloud.message);
    assert!(
        !named
            .iter()
            .any(|(_, _, id, _)| *id == "disp-2" || *id == "t7")
    );
    assert_eq!(found.len(), named.len(), "each finding once");

    // The exchange is blocked, naming the records; nothing is kept.
    let (activation, site_code) = w.codes(0);
    let pre = PreCheck::Run {
        records: &records,
        checks: &checks,
    };
    match a.activate_cloud(&activation, &site_code, pre) {
        Err(ClientError::DataCheckFailed(list)) => assert_eq!(list, found),
        other => panic!("expected DATA_CHECK_FAILED, got {other:?}"),
    }
    assert!(!a.cloud_activated());

    // Told to go on anyway, it connects.
    a.activate_cloud(&activation, &site_code, PreCheck::Skip)
        .unwrap();
    assert!(a.cloud_activated());
}
