-- Scheduled jobs claim each period once (several instances share a PostgreSQL database);
-- mail delivery state on the outbox; the language mail is written in.

CREATE TABLE job_runs (
    job         TEXT    NOT NULL,
    period      TEXT    NOT NULL,
    -- the instance that holds (or last held) the run
    holder      TEXT    NOT NULL,
    -- another instance may take the run over after this instant if it is not finished:
    -- the holder died, or the run failed and waits for its retry
    lease_until BIGINT  NOT NULL,
    attempts    BIGINT  NOT NULL,
    started_at  BIGINT  NOT NULL,
    finished_at BIGINT,
    -- 'running', 'done' or 'failed' (the last attempt's outcome)
    outcome     TEXT    NOT NULL,
    detail      TEXT,
    PRIMARY KEY (job, period)
);

ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
-- not sent before this instant (retry backoff)
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
-- a sender holds the message until this instant
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
-- the SMTP server refused it for good (bad address): not retried
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
