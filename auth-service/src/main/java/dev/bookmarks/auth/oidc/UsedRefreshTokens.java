package dev.bookmarks.auth.oidc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import dev.bookmarks.auth.account.SecretHashes;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The refresh tokens that were used once and replaced, by their SHA-256 only. The tokens are 96
 * random bytes, so an unsalted hash cannot be reversed and still finds the row in one lookup.
 */
final class UsedRefreshTokens {

	/** Expired rows are removed a few at a time by the requests that add rows. */
	private static final int CLEAN_UP_BATCH = 100;

	private final JdbcClient jdbc;

	UsedRefreshTokens(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records that {@code token} of the authorization was used. Runs in the transaction that
	 * replaces the token.
	 * @return false when it had been recorded already: someone else used the same token at the
	 * same time
	 */
	boolean record(String token, String authorizationId, Instant expiresAt) {
		deleteSomeExpired();
		return jdbc.sql("""
				INSERT INTO oauth2_used_refresh_token (token_hash, authorization_id, expires_at)
				VALUES (?, ?, ?)
				ON CONFLICT (token_hash) DO NOTHING""")
			.params(hash(token), authorizationId, expiresAt.atOffset(ZoneOffset.UTC))
			.update() == 1;
	}

	/** The authorization that {@code token} belonged to, when it was used already and is not yet expired. */
	Optional<String> authorizationOf(String token) {
		return jdbc.sql("SELECT authorization_id FROM oauth2_used_refresh_token WHERE token_hash = ? AND expires_at > now()")
			.param(hash(token))
			.query(String.class)
			.optional();
	}

	// No scheduler needed: each rotation takes away a few rows that nobody can match any more.
	// SKIP LOCKED keeps two rotations from waiting on each other's clean-up.
	private void deleteSomeExpired() {
		jdbc.sql("""
				DELETE FROM oauth2_used_refresh_token WHERE token_hash IN (
				  SELECT token_hash FROM oauth2_used_refresh_token WHERE expires_at < now()
				  LIMIT ? FOR UPDATE SKIP LOCKED)""")
			.param(CLEAN_UP_BATCH)
			.update();
	}

	static byte[] hash(String token) {
		return SecretHashes.sha256(token);
	}

}
