-- Accounts: the only place that knows a person's credentials and profile.
CREATE TABLE account (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL CHECK (char_length(username) BETWEEN 1 AND 150),
    email         text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    password_hash text        NOT NULL,
    first_name    text        CHECK (char_length(first_name) <= 150),
    last_name     text        CHECK (char_length(last_name) <= 150),
    date_of_birth date,
    photo_url     text,
    roles         text[]      NOT NULL DEFAULT '{USER}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Usernames and emails are unique regardless of case. These indexes, not a query before the
-- insert, are what settles two registrations racing for the same name.
CREATE UNIQUE INDEX account_username_unique ON account (lower(username));
CREATE UNIQUE INDEX account_email_unique ON account (lower(email));
