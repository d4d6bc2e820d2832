-- When a site last pushed was written at every push and never read: a new version of the
-- site's sync row per push, which PostgreSQL's look-ups of the row then stepped over
-- (docs/benchmarks.md, "Cloud sync"). Its status (G5) comes from its pulls and first sync.
ALTER TABLE sync_sites DROP COLUMN last_push_at;
