-- The user directory: this service's projection of auth-service's accounts, fed by user events.
CREATE TABLE directory_user (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL,
    display_name  text        NOT NULL,
    photo_url     text,
    followers     bigint      NOT NULL DEFAULT 0 CHECK (followers >= 0),
    following     bigint      NOT NULL DEFAULT 0 CHECK (following >= 0),
    images        bigint      NOT NULL DEFAULT 0 CHECK (images >= 0),
    active        boolean     NOT NULL DEFAULT true,
    registered_at timestamptz NOT NULL
);

-- Usernames are unique case-insensitively at the source; the directory pages by username.
CREATE UNIQUE INDEX directory_user_username ON directory_user (lower(username));
CREATE INDEX directory_user_active_username ON directory_user (username) WHERE active;
