-- Password reset by mail, and the counters behind login throttling and per-address rate limits.
-- All times are written by the service from its clock, never with now(), so that every replica
-- and every test agrees on what "within 15 minutes" means.

-- A reset link's token is never stored: only its SHA-256. Whoever reads this table cannot use it.
CREATE TABLE password_reset_token (
    token_hash bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    account_id uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_reset_token_account ON password_reset_token (account_id);
CREATE INDEX password_reset_token_expires ON password_reset_token (expires_at);

-- Requests waiting for their mail: written by the request (whether or not the address has an
-- account, so that both answers cost the same), taken by the mailer after the commit. The mailer
-- looks the account up, issues the token and sends; a failed send is retried from here. Nothing
-- secret is kept: the token is made when the mail goes out.
CREATE TABLE password_reset_request (
    id              uuid        PRIMARY KEY,
    email           text        NOT NULL,
    requested_at    timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text
);
CREATE INDEX password_reset_request_due ON password_reset_request (next_attempt_at);

-- One row per counted attempt (a failed login, a registration, a reset request), by kind and by
-- whom: an account id, a client address, or the SHA-256 of an email address. Limits count the
-- rows of a sliding window; rows older than the longest window are deleted now and then.
CREATE TABLE throttle_event (
    kind        text        NOT NULL,
    subject     text        NOT NULL,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX throttle_event_subject ON throttle_event (kind, subject, occurred_at);
CREATE INDEX throttle_event_age ON throttle_event (occurred_at);

-- An account that had too many failed logins refuses every login until locked_until. The row
-- stays after the lock ends: failures before it no longer count towards the next lock.
CREATE TABLE login_lock (
    account_id   uuid        PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    locked_at    timestamptz NOT NULL,
    locked_until timestamptz NOT NULL
);
