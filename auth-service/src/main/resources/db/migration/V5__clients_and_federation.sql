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
