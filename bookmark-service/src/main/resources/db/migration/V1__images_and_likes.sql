-- Images people saved. The pictures themselves live in the blob store under content-addressed
-- keys (sha256.ext); a row names the three it uses.
CREATE TABLE image (
    id              uuid        PRIMARY KEY,
    owner_id        uuid        NOT NULL,
    owner_username  text        NOT NULL,
    slug            text        NOT NULL,
    title           text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description     text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    source_url      text        NOT NULL,
    normalized_url  text        NOT NULL,
    content_hash    text        NOT NULL,
    original_key    text        NOT NULL,
    square_key      text        NOT NULL,
    detail_key      text        NOT NULL,
    width           int         NOT NULL CHECK (width > 0),
    height          int         NOT NULL CHECK (height > 0),
    like_count      bigint      NOT NULL DEFAULT 0 CHECK (like_count >= 0),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- One person saves one URL once (409 with the existing id).
CREATE UNIQUE INDEX image_owner_url ON image (owner_id, normalized_url);
CREATE UNIQUE INDEX image_slug ON image (slug);
-- Newest first, for everyone and per owner; the id breaks ties for stable cursors.
CREATE INDEX image_newest ON image (created_at DESC, id DESC);
CREATE INDEX image_owner_newest ON image (owner_id, created_at DESC, id DESC);
CREATE INDEX image_owner_username ON image (lower(owner_username));
-- Blob clean-up asks whether any image still uses a key.
CREATE INDEX image_original_key ON image (original_key);
CREATE INDEX image_square_key ON image (square_key);
CREATE INDEX image_detail_key ON image (detail_key);

CREATE TABLE image_like (
    image_id   uuid        NOT NULL REFERENCES image (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL,
    username   text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (image_id, user_id)
);

CREATE INDEX image_like_by_user ON image_like (user_id, created_at DESC, image_id DESC);
CREATE INDEX image_like_newest ON image_like (image_id, created_at DESC, user_id DESC);

-- Blobs to delete once the transaction that stopped using them has committed; retried until done.
CREATE TABLE blob_deletion (
    blob_key        text        PRIMARY KEY,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text
);
