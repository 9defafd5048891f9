-- Who follows whom, and directory rows for people whose registration has not arrived yet.

-- A placeholder row: someone followed a person or saved an image before their UserRegistered reached
-- this service (user, image and follow events travel on different topics, so any order happens).
-- It keeps that person's counts from the start and is neither listed nor found by username until
-- their registration (or a profile update) gives it the real profile; its profile is older than any
-- real one ('-infinity'), and its registration time later than any real one ('infinity').
ALTER TABLE directory_user ADD COLUMN placeholder boolean NOT NULL DEFAULT false;

-- Usernames are unique among real rows only: a placeholder's name comes from a token or an image
-- event, and must never stand in the way of a real account's registration.
DROP INDEX directory_user_username;
CREATE UNIQUE INDEX directory_user_known_username ON directory_user (lower(username)) WHERE NOT placeholder;
-- The directory pages through listed people by username.
DROP INDEX directory_user_active_username;
CREATE INDEX directory_user_listed_username ON directory_user (username) WHERE active AND NOT placeholder;

-- One row per edge. The counts in directory_user change in the same transaction as the edge.
CREATE TABLE follow (
    follower_id uuid        NOT NULL REFERENCES directory_user (id),
    followee_id uuid        NOT NULL REFERENCES directory_user (id),
    followed_at timestamptz NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);

-- A person's followers, newest follow first (the pages' sort key is followed_at, then the other id).
CREATE INDEX follow_followers_newest ON follow (followee_id, followed_at DESC, follower_id DESC);
-- Whom a person follows, newest follow first.
CREATE INDEX follow_following_newest ON follow (follower_id, followed_at DESC, followee_id DESC);
