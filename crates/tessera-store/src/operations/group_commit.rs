//! The operations log's rows committed together. Every state-changing request writes a row
//! after its answer is decided and before it is sent (I1), so under load the log was a commit
//! of its own per request, beside the request's own (500 pushes a second made 500 more
//! commits a second, each waiting for the disk). A request now hands its row to one writer
//! task and waits for it as before: the writer takes every row waiting, up to [`ROWS`], and
//! commits them in one statement; rows that arrive meanwhile go in the next. Nothing is
//! answered before its row is committed, so a crash loses no more of the log than before.

use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use tokio::sync::{mpsc, oneshot};

use super::NewOperation;
use crate::{Result, Store, StoreError};

/// Rows per statement at most (10 parameters each).
pub(crate) const ROWS: usize = 100;

/// A row waiting for the writer, and where to say how its commit went.
pub(crate) struct Queued {
    pub op: NewOperation,
    pub at: Timestamp,
    done: oneshot::Sender<std::result::Result<(), Arc<StoreError>>>,
}

/// The way to the writer task, started by the first row recorded.
#[derive(Default)]
pub(crate) struct OperationQueue {
    writer: OnceLock<mpsc::UnboundedSender<Queued>>,
}

impl std::fmt::Debug for OperationQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperationQueue").finish_non_exhaustive()
    }
}

impl Store {
    /// Records one operation; returns once its row is committed (with others that waited
    /// at the same time).
    #[tracing::instrument(level = "debug", skip_all, fields(operation = %op.operation))]
    pub async fn record_operation(&self, op: &NewOperation, now: Timestamp) -> Result<()> {
        let writer = self.operations.writer.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(write_queued(self.clone(), rx));
            tx
        });
        let (done, committed) = oneshot::channel();
        let queued = Queued {
            op: op.clone(),
            at: now,
            done,
        };
        if let Err(back) = writer.send(queued) {
            // The writer's runtime has ended (a test's): this row is written alone.
            let row = [(back.0.op, back.0.at)];
            return on_backend!(self, |db| sql::operations::record_operations(db, &row));
        }
        match committed.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Shared(e)),
            Err(_) => Err(StoreError::Shared(Arc::new(StoreError::Corrupt(
                "the operations log's writer stopped".into(),
            )))),
        }
    }
}

/// The writer: every row waiting, up to [`ROWS`], in one statement (on SQLite's writers'
/// thread, `Pools::isolated`); each waiter told.
async fn write_queued(store: Store, mut rx: mpsc::UnboundedReceiver<Queued>) {
    let mut batch = Vec::with_capacity(ROWS);
    while rx.recv_many(&mut batch, ROWS).await > 0 {
        let (rows, waiters): (Vec<_>, Vec<_>) =
            batch.drain(..).map(|q| ((q.op, q.at), q.done)).unzip();
        let result = on_backend!(store, |db| db.isolated(|db| async move {
            sql::operations::record_operations(&db, &rows).await
        }))
        .map_err(Arc::new);
        for done in waiters {
            // A waiter that went away (its request was dropped) needs no answer.
            let _ = done.send(result.clone());
        }
    }
}
