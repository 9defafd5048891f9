-- activity-service: per-reader timelines for recently active readers (fan-out on write), a
-- candidate list in front of the fan-out-on-read statement, which stays the source of truth.
-- docs/feed.md ("Reading the feed") explains the protocol.

-- A reader whose timeline is kept. While ready_at is NULL the timeline is being built (or must be
-- rebuilt after a follow) and reads use the fan-out-on-read statement. Actions created at or
-- before horizon may be missing from feed_entry (NULL: none is missing). Every writer of actions
-- adds entries for the followers of the actor that have a row here, ready or not.
CREATE TABLE feed_reader (
    reader_id    uuid        PRIMARY KEY,
    claimed_at   timestamptz NOT NULL,
    ready_at     timestamptz,
    horizon      timestamptz,
    last_read_at timestamptz NOT NULL
);
-- Upkeep finds idle readers.
CREATE INDEX feed_reader_last_read ON feed_reader (last_read_at);

-- Candidate actions of a reader's feed, newest first by the primary key. An entry is only a
-- candidate: the read joins the action (a deleted one vanishes) and checks the follow edge.
CREATE TABLE feed_entry (
    reader_id  uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    action_id  uuid        NOT NULL,
    PRIMARY KEY (reader_id, created_at, action_id)
);
