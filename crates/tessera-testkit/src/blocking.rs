//! A test server for blocking callers (the client library, the CLI).

use std::future::Future;

use crate::app::{Config, DataPlace, TestApp, start};

/// A [`TestApp`] on its own runtime, for blocking callers (the client library, the CLI):
/// the server runs on the runtime's threads while the test thread blocks.
pub struct BlockingApp {
    app: Option<TestApp>,
    runtime: tokio::runtime::Runtime,
}

impl BlockingApp {
    /// [`start`] on a runtime of its own.
    pub fn start(place: &DataPlace, configure: impl FnOnce(&mut Config)) -> BlockingApp {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let app = runtime.block_on(start(place, configure));
        BlockingApp {
            app: Some(app),
            runtime,
        }
    }

    /// Runs `future` (a request of the app's helpers, say) to completion on the app's runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Signs the `admin` operator in again (after the clock moved past its session).
    pub fn sign_in(&mut self) {
        let app = self.app.as_mut().expect("running");
        self.runtime.block_on(app.sign_in());
    }

    /// Stops the server; its port then refuses connections.
    pub fn stop(mut self) {
        if let Some(app) = self.app.take() {
            self.runtime.block_on(app.stop());
        }
    }
}

impl std::ops::Deref for BlockingApp {
    type Target = TestApp;

    fn deref(&self) -> &TestApp {
        self.app.as_ref().expect("running")
    }
}

impl std::ops::DerefMut for BlockingApp {
    fn deref_mut(&mut self) -> &mut TestApp {
        self.app.as_mut().expect("running")
    }
}
