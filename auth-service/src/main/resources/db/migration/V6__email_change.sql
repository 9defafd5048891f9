-- Changes of an account's email address, and their mails. As in V4, every time is written by the
-- service from its clock.

-- A requested change, waiting for the link mailed to the new address to be opened. One per account:
-- a newer request replaces it. The token is made when its mail is sent, and only its SHA-256 is
-- kept; until then token_hash is null and nothing can confirm the change.
CREATE TABLE email_change (
    id           uuid        PRIMARY KEY,
    account_id   uuid        NOT NULL UNIQUE REFERENCES account (id) ON DELETE CASCADE,
    new_email    text        NOT NULL,
    token_hash   bytea       UNIQUE CHECK (octet_length(token_hash) = 32),
    requested_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX email_change_expires ON email_change (expires_at);

-- Mails about email changes waiting to be sent, a small outbox like password_reset_request:
-- CONFIRM carries the link of change_id to the new address, NOTICE tells the old address, TAKEN
-- tells the owner of an address another account asked for. Nothing secret is kept here.
CREATE TABLE email_change_mail (
    id              uuid        PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('CONFIRM', 'NOTICE', 'TAKEN')),
    account_id      uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    change_id       uuid,
    recipient       text        NOT NULL,
    new_email       text        NOT NULL,
    requested_at    timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text
);
CREATE INDEX email_change_mail_due ON email_change_mail (next_attempt_at);
