-- Profile photos, stored in the database so that every replica serves the same bytes. Keyed by
-- the SHA-256 of the stored (re-encoded) bytes: the URL names the content, so it can be cached
-- for ever, and two accounts uploading the same picture share one row.
CREATE TABLE avatar (
    sha256     char(64)    PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    media_type text        NOT NULL,
    content    bytea       NOT NULL,
    width      int         NOT NULL CHECK (width > 0),
    height     int         NOT NULL CHECK (height > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Which stored photo an account shows (photo_url keeps the public URL of it). The foreign key
-- makes deleting a photo that an account still references fail rather than break the account.
ALTER TABLE account ADD COLUMN photo_sha256 char(64) REFERENCES avatar (sha256);
CREATE INDEX account_photo_sha256 ON account (photo_sha256) WHERE photo_sha256 IS NOT NULL;

-- Roles are a closed set; USER is always there.
ALTER TABLE account ADD CONSTRAINT account_roles_known
    CHECK (roles <@ ARRAY['USER', 'MODERATOR', 'ADMIN']::text[] AND 'USER' = ANY (roles));

-- Dates of birth: from 1900 on (the API also refuses dates in the future).
ALTER TABLE account ADD CONSTRAINT account_date_of_birth_range
    CHECK (date_of_birth IS NULL OR date_of_birth >= DATE '1900-01-01');

-- Spring Session JDBC (its schema-postgresql.sql): login sessions of the browser pages live here,
-- so that any replica serves any browser and a password change can end an account's sessions
-- (found by PRINCIPAL_NAME, the account id).
CREATE TABLE spring_session (
    primary_id            char(36)     NOT NULL,
    session_id            char(36)     NOT NULL,
    creation_time         bigint       NOT NULL,
    last_access_time      bigint       NOT NULL,
    max_inactive_interval int          NOT NULL,
    expiry_time           bigint       NOT NULL,
    principal_name        varchar(100),
    CONSTRAINT spring_session_pk PRIMARY KEY (primary_id)
);

CREATE UNIQUE INDEX spring_session_ix1 ON spring_session (session_id);
CREATE INDEX spring_session_ix2 ON spring_session (expiry_time);
CREATE INDEX spring_session_ix3 ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id char(36)     NOT NULL,
    attribute_name     varchar(200) NOT NULL,
    attribute_bytes    bytea        NOT NULL,
    CONSTRAINT spring_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT spring_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES spring_session (primary_id) ON DELETE CASCADE
);
