//! Statements queued to run together at the end of a transaction, its COMMIT with them
//! (`commit_after` of each backend).
//!
//! On SQLite they go to the write connection's thread as one text: the driver runs a
//! text's statements one after the other, each taking its arguments in turn, so the
//! writes of a push and its COMMIT cost one round trip instead of one each. Every round
//! trip there is two thread switches while the single writer is held (docs/benchmarks.md,
//! "Cloud sync"). On PostgreSQL, whose protocol takes one statement with arguments a
//! message, they run one after the other as before.
//!
//! Bind only with `push_bind` here: on SQLite it writes a bare `?`, which takes the next
//! argument of the text. A `$N` in a joined text would name the text's Nth argument, and
//! one past the end binds NULL without a word.

use sqlx::QueryBuilder;

use super::{Conn, Db, KEEP_BUILT, ONE_TEXT};
use crate::Result;

/// Statements waiting to run, in order, each with whether it stays prepared.
#[derive(Default)]
pub(crate) struct Script<'a> {
    texts: Vec<(QueryBuilder<'a, Db>, bool)>,
}

impl<'a> Script<'a> {
    /// A new statement built for its rows, begun with `start`, to be built on: kept
    /// prepared where the backend keeps such statements (`KEEP_BUILT`).
    pub(crate) fn statement(&mut self, start: &str) -> &mut QueryBuilder<'a, Db> {
        self.add(start, KEEP_BUILT)
    }

    /// A new statement of the same text every time, begun with `start`: kept prepared.
    pub(crate) fn fixed(&mut self, start: &str) -> &mut QueryBuilder<'a, Db> {
        self.add(start, true)
    }

    fn add(&mut self, start: &str, keep: bool) -> &mut QueryBuilder<'a, Db> {
        if ONE_TEXT && !self.texts.is_empty() {
            let (text, kept) = self.texts.last_mut().expect("not empty");
            *kept &= keep;
            return text.push("; ").push(start);
        }
        self.texts.push((QueryBuilder::new(start), keep));
        &mut self.texts.last_mut().expect("just pushed").0
    }

    /// Runs what waits (before a read that must see it, or at the end). Returns the rows
    /// the last text changed: on PostgreSQL its last statement's.
    pub(crate) async fn run(&mut self, conn: &mut Conn) -> Result<u64> {
        let mut changed = 0;
        for (mut text, keep) in self.texts.drain(..) {
            changed = text
                .build()
                .persistent(keep)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        }
        Ok(changed)
    }
}
