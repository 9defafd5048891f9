-- OAuth2 clients in the database, so that every replica reads the same registrations. Spring
-- Authorization Server's oauth2-registered-client-schema.sql adapted to PostgreSQL as its notes
-- say (timestamp -> timestamptz). The service writes the configured clients at startup.
CREATE TABLE oauth2_registered_client (
    id                            varchar(100)  NOT NULL PRIMARY KEY,
    client_id                     varchar(100)  NOT NULL,
    client_id_issued_at           timestamptz   NOT NULL DEFAULT now(),
    client_secret                 varchar(200)  DEFAULT NULL,
    client_secret_expires_at      timestamptz   DEFAULT NULL,
    client_name                   varchar(200)  NOT NULL,
    client_authentication_methods varchar(1000) NOT NULL,
    authorization_grant_types     varchar(1000) NOT NULL,
    redirect_uris                 varchar(1000) DEFAULT NULL,
    post_logout_redirect_uris     varchar(1000) DEFAULT NULL,
    scopes                        varchar(1000) NOT NULL,
    client_settings               varchar(2000) NOT NULL,
    token_settings                varchar(2000) NOT NULL
);

-- Every token request finds its client by client_id.
CREATE UNIQUE INDEX oauth2_registered_client_client_id ON oauth2_registered_client (client_id);

-- Refresh tokens that were used once and replaced. Only a SHA-256 of the token is kept: enough to
-- recognise a second use (a sign the token was stolen), useless to anyone who reads the table.
-- A second use revokes the authorization the token belonged to. Rows are worthless after the
-- token's own expiry and are deleted then.
CREATE TABLE oauth2_used_refresh_token (
    token_hash       bytea        NOT NULL PRIMARY KEY,
    authorization_id varchar(100) NOT NULL,
    expires_at       timestamptz  NOT NULL
);

CREATE INDEX oauth2_used_refresh_token_expiry ON oauth2_used_refresh_token (expires_at);

-- Which local account an identity at another provider (social login) signs in as. The provider is
-- the client registration id of the configuration (google, github, ...), the subject its stable
-- user id there. Accounts are never linked by email address.
CREATE TABLE federated_identity (
    provider   text        NOT NULL CHECK (char_length(provider) BETWEEN 1 AND 100),
    subject    text        NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 255),
    account_id uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, subject)
);

CREATE INDEX federated_identity_account ON federated_identity (account_id);

-- An account created by a social login has an email address only when the provider vouched for
-- it (email_verified) and no other account uses it.
ALTER TABLE account ALTER COLUMN email DROP NOT NULL;
