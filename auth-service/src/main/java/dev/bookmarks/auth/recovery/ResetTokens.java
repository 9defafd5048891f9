package dev.bookmarks.auth.recovery;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import dev.bookmarks.auth.account.SecretHashes;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The tokens of reset links ({@code password_reset_token}). A token is 256 random bits, URL-safe
 * Base64 without padding; only its SHA-256 is stored, so the table alone opens no account.
 */
@Repository
class ResetTokens {

	private static final int TOKEN_BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	ResetTokens(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A new token for the account, valid until {@code expiresAt}; the only copy is returned. */
	String issue(UUID accountId, Instant now, Instant expiresAt) {
		byte[] random = new byte[TOKEN_BYTES];
		RANDOM.nextBytes(random);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		jdbc.sql("INSERT INTO password_reset_token (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
			.params(hash(token), accountId, now.atOffset(ZoneOffset.UTC), expiresAt.atOffset(ZoneOffset.UTC))
			.update();
		return token;
	}

	/** The account of a token that is neither used nor expired. */
	Optional<UUID> findUsable(String token, Instant now) {
		return jdbc.sql("""
				SELECT account_id FROM password_reset_token
				WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?""")
			.params(hash(token), now.atOffset(ZoneOffset.UTC))
			.query(UUID.class)
			.optional();
	}

	/**
	 * Marks a usable token used, atomically: of two requests racing with one token, one wins.
	 * @return the token's account, or empty when it was not usable (any more)
	 */
	Optional<UUID> use(String token, Instant now) {
		return jdbc.sql("""
				UPDATE password_reset_token SET used_at = :now
				WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
				RETURNING account_id""")
			.param("now", now.atOffset(ZoneOffset.UTC))
			.param("hash", hash(token))
			.query(UUID.class)
			.optional();
	}

	/** Ends every outstanding token of the account. */
	int deleteAllOf(UUID accountId) {
		return jdbc.sql("DELETE FROM password_reset_token WHERE account_id = ?").param(accountId).update();
	}

	/** Forgets a token whose mail never went out. */
	void delete(String token) {
		jdbc.sql("DELETE FROM password_reset_token WHERE token_hash = ?").param(hash(token)).update();
	}

	/** Deletes tokens that expired before {@code before}; they could only ever answer 400. */
	int deleteExpiredBefore(Instant before) {
		return jdbc.sql("DELETE FROM password_reset_token WHERE expires_at < ?")
			.param(before.atOffset(ZoneOffset.UTC))
			.update();
	}

	static byte[] hash(String token) {
		return SecretHashes.sha256(token);
	}

}
