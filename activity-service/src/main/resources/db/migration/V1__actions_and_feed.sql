-- activity-service: the action stream and the projections the feed needs, all fed by events.

-- People as actions show them. A row may first come from another event that carries only the
-- username (a like, a follow); the registration or a profile update completes it later.
CREATE TABLE actor (
    id         uuid        PRIMARY KEY,
    username   text        NOT NULL,
    photo_url  text,
    -- time of the registration or profile update shown; NULL while only a username is known. An
    -- event that is not newer changes nothing, so replays cannot bring back an old name or photo.
    profile_at timestamptz
);
CREATE INDEX actor_username ON actor (lower(username));

-- Images as actions show them. deleted_at is a tombstone: events for a deleted image that arrive
-- late (a replay, another topic's lag) are ignored instead of bringing its actions back.
CREATE TABLE image (
    id            uuid        PRIMARY KEY,
    title         text,
    thumbnail_url text,
    version_at    timestamptz,
    deleted_at    timestamptz
);

-- Who follows whom, from follow events. An unfollow keeps its row (following = false) with the
-- time of the change: an older follow delivered after it (a replay) finds a newer row and
-- changes nothing. At equal times the unfollow wins, whatever the order of arrival.
CREATE TABLE follow_edge (
    follower_id uuid        NOT NULL,
    followee_id uuid        NOT NULL,
    following   boolean     NOT NULL,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);
-- The feed reads one follower's live edges (index-only); the stream asks which followers of an actor are connected.
CREATE INDEX follow_edge_following ON follow_edge (follower_id, followee_id) WHERE following;
CREATE INDEX follow_edge_followers ON follow_edge (followee_id, follower_id) WHERE following;

-- Every occurrence of (actor, verb, target) that events reported, at its event time. Actions are
-- derived from these: the first occurrence starts an action, and occurrences less than 60 seconds
-- after an action's start belong to it. Derived from event times only, so the same events give
-- the same actions in any order of arrival, on any instance. target_id is the nil UUID when the
-- verb has no target (registered).
CREATE TABLE action_occurrence (
    actor_id    uuid        NOT NULL,
    verb        text        NOT NULL,
    target_id   uuid        NOT NULL,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (actor_id, verb, target_id, occurred_at)
);
-- A deleted image takes its occurrences along.
CREATE INDEX action_occurrence_target ON action_occurrence (target_id);

-- An unlike or unfollow: occurrences up to removed_until no longer count (also those that arrive
-- after the removal, from a replay).
CREATE TABLE action_removal (
    actor_id      uuid        NOT NULL,
    verb          text        NOT NULL,
    target_id     uuid        NOT NULL,
    removed_until timestamptz NOT NULL,
    PRIMARY KEY (actor_id, verb, target_id)
);

CREATE TABLE action (
    id          uuid        PRIMARY KEY,
    actor_id    uuid        NOT NULL,
    verb        text        NOT NULL CHECK (verb IN ('registered', 'bookmarked', 'liked', 'followed')),
    target_type text        CHECK (target_type IN ('image', 'user')),
    target_id   uuid        NOT NULL,
    created_at  timestamptz NOT NULL,
    -- The writing transaction's id: the stream reads actions in commit order by it, taking only
    -- those below the oldest running transaction, so an action committed late is never skipped.
    tx          bigint      NOT NULL DEFAULT (pg_current_xact_id()::text::bigint)
);
-- One action per (actor, verb, target) and start: a second writer of the same action conflicts.
CREATE UNIQUE INDEX action_once ON action (actor_id, verb, target_id, created_at);
-- Fan-out on read: the newest actions of each followee (also one person's actions). Covering, so
-- that each followee's range is an index-only scan of one or two leaf pages, not a heap page per row.
CREATE INDEX action_by_actor ON action (actor_id, created_at, id) INCLUDE (verb, target_type, target_id, tx);
-- Everyone's newest actions, for a caller who follows nobody.
CREATE INDEX action_by_time ON action (created_at, id);
-- A deleted image takes its actions along.
CREATE INDEX action_by_target ON action (target_id) WHERE target_type = 'image';
-- The live stream: actions after a position in commit order, per followee and for everyone.
CREATE INDEX action_by_actor_tx ON action (actor_id, tx, id) INCLUDE (verb, target_type, target_id, created_at);
CREATE INDEX action_by_tx ON action (tx, id);
