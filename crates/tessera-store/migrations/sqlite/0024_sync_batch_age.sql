-- The daily purge forgets the answers kept for replays after `sync_batch_days`: by age.
CREATE INDEX sync_batches_created ON sync_batches (created_at);
