//! The vendor's set-up over the HTTP API, with the typed client.

use std::future::Future;

use tessera_api::{CreateBatch, FillBatch, LoginRequest};
use tessera_api_client::{ApiClient, ApiError};

use crate::{ADMIN_PASSWORD, EMAIL};

/// The vendor's side over HTTP, with the typed API client on a runtime of its own (the
/// agent's commands are blocking processes; so is this test).
pub(crate) struct Vendor {
    pub(crate) api: ApiClient,
    runtime: tokio::runtime::Runtime,
}

impl Vendor {
    /// Runs a call that must succeed.
    pub(crate) fn run<T>(&self, what: &str, call: impl Future<Output = Result<T, ApiError>>) -> T {
        self.runtime
            .block_on(call)
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }
}

/// The vendor's set-up: product `crm` (edition `std`, 10 users, module `mail`), two keys,
/// the first registered to jack's account. Returns the signed-in vendor and the keys.
pub(crate) fn vendor_setup(base: &str) -> (Vendor, Vec<String>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut vendor = Vendor {
        api: ApiClient::new(base),
        runtime,
    };
    let login = LoginRequest {
        username: "admin".into(),
        password: ADMIN_PASSWORD.into(),
        language: None,
    };
    let token = vendor.run("login", vendor.api.login(&login)).token;
    vendor.api = vendor.api.with_token(token);
    let product = tessera_testkit::fixtures::crm_product();
    vendor.run("product", vendor.api.create_product(&product));
    let batch = CreateBatch {
        product: "crm".into(),
        edition: "std".into(),
        size: "s10".into(),
        count: 2,
        note: None,
    };
    let id = vendor.run("batch", vendor.api.create_batch(&batch)).id;
    vendor.run("fill", vendor.api.fill_batch(id, &FillBatch { count: 2 }));
    let page = vendor.run("keys", vendor.api.batch_keys(id, None, 10));
    let keys: Vec<String> = page.keys.into_iter().map(|k| k.key).collect();
    let registration =
        tessera_testkit::fixtures::registration("jack", EMAIL, "00743110157", &keys[0]);

    let anonymous = vendor.api.anonymous();
    vendor.run("registration", anonymous.register(&registration));
    (vendor, keys)
}
