//! An optional thread that runs the schedule for hosts without their own event loop.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::client::{Client, Validated};
use crate::errors::Result;

/// How often the thread looks at the clock even when nothing is due: a clock changed by the
/// user (or a test) is noticed within this.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// The running thread; dropping it (or [`Background::stop`]) ends it.
#[derive(Debug)]
pub struct Background {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Client {
    /// Starts a thread that validates whenever [`Client::poll`] says it is due and hands
    /// each result to `on_result` (to log it, or show a warning).
    pub fn spawn_background(
        self: &Arc<Self>,
        on_result: impl Fn(&Result<Validated>) + Send + 'static,
    ) -> Background {
        let (stop, stopped) = mpsc::channel::<()>();
        let client = Arc::clone(self);
        let thread = std::thread::Builder::new()
            .name("tessera-validation".into())
            .spawn(move || {
                loop {
                    let until_due = client.next_check_due().duration_since(client.clock_now());
                    let wait = if until_due.is_negative() {
                        Duration::ZERO
                    } else {
                        until_due.unsigned_abs().min(MAX_SLEEP)
                    };
                    match stopped.recv_timeout(wait) {
                        Err(RecvTimeoutError::Timeout) => {}
                        _ => return,
                    }
                    if let Some(result) = client.poll() {
                        on_result(&result);
                    }
                }
            })
            .ok();
        Background {
            stop: Some(stop),
            thread,
        }
    }
}

impl Background {
    /// Stops the thread and waits for it (at most one request's timeout).
    pub fn stop(mut self) {
        self.finish();
    }

    fn finish(&mut self) {
        self.stop.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.finish();
    }
}
