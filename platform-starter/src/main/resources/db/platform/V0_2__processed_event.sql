-- Idempotent consumers: one row per (consumer, event) applied, written in the same transaction
-- as the effect, so a redelivered event is recognised and skipped.
CREATE TABLE processed_event (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE INDEX processed_event_age ON processed_event (processed_at);
