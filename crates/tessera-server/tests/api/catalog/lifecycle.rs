//! A product is created, grows editions, sizes and modules, and is listed as it stands.

use super::*;

both_backends!(product_lifecycle);

async fn product_lifecycle(app: TestApp) {
    let api = app.api();
    let created = api.create_product(&fuel_product()).await.unwrap();
    assert_eq!(created.code, "fuelmaster");
    let ranks: Vec<_> = created
        .editions
        .iter()
        .map(|e| (e.code.as_str(), e.rank))
        .collect();
    assert_eq!(ranks, [("standard", 1), ("professional", 2)]);
    assert_eq!(created.sizes[0].limits["drivers"], 5);
    assert_eq!(created.sizes[0].limits["users"], 10);

    let added = api
        .add_edition("fuelmaster", &entry("Enterprise", "Enterprise"))
        .await
        .unwrap();
    assert_eq!(
        added.editions.last().map(|e| (e.code.as_str(), e.rank)),
        Some(("enterprise", 3))
    );
    let added = api
        .add_size("fuelmaster", &size("s20", "Up to 20", &[("drivers", 20)]))
        .await
        .unwrap();
    assert_eq!(added.sizes.len(), 2);
    let added = api
        .add_module("fuelmaster", &entry("reports", "Reports"))
        .await
        .unwrap();
    assert_eq!(
        added
            .modules
            .iter()
            .map(|m| m.code.as_str())
            .collect::<Vec<_>>(),
        ["cloud", "reports"]
    );

    let fetched = api.product("fuelmaster").await.unwrap();
    assert_eq!(fetched.editions, added.editions);
    let list = api.products().await.unwrap();
    assert_eq!(list.products.len(), 1);
}
