-- Transactional outbox: a service writes its event here in the same transaction as the state
-- change; the relay publishes pending rows to Kafka and marks them sent. Shipped by the
-- platform starter, so every service has the same table.
CREATE TABLE outbox (
    id              uuid        PRIMARY KEY,          -- the event id, also in the envelope
    topic           text        NOT NULL,
    aggregate_id    text        NOT NULL,             -- the Kafka record key
    event_type      text        NOT NULL,
    event_version   int         NOT NULL,
    envelope        json        NOT NULL,             -- exactly what goes on the wire (json keeps the text as written)
    occurred_at     timestamptz NOT NULL,
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    sent_at         timestamptz,
    parked_at       timestamptz
);

-- The relay's claim query: pending rows that are due, oldest first.
CREATE INDEX outbox_pending ON outbox (occurred_at) WHERE sent_at IS NULL AND parked_at IS NULL;
-- Retention clean-up of sent rows.
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
