//! The cloud sync's pages in the portal (G3): the conflicts a first sync found, each with
//! the cloud's record beside the site's, settled by keeping one side or an edited version;
//! the decision becomes a new version every site pulls. Needs `sync.conflicts.resolve`; a
//! site user sees its own site's conflicts only (the use case's rule).

pub mod conflicts;
