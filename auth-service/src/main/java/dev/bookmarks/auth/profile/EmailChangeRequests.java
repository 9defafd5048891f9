package dev.bookmarks.auth.profile;

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
 * Pending email changes ({@code email_change}), at most one per account. A link's token is 256
 * random bits, URL-safe Base64 without padding; only its SHA-256 is stored.
 */
@Repository
class EmailChangeRequests {

	private static final int TOKEN_BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	/** A change whose link was followed. */
	record Confirmed(UUID accountId, String newEmail) {
	}

	private final JdbcClient jdbc;

	EmailChangeRequests(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Replaces any pending change of the account; it has no token until its mail is sent. */
	void replace(UUID id, UUID accountId, String newEmail, Instant now, Instant expiresAt) {
		jdbc.sql("""
				INSERT INTO email_change (id, account_id, new_email, requested_at, expires_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (account_id) DO UPDATE SET id = excluded.id, new_email = excluded.new_email,
				  token_hash = NULL, requested_at = excluded.requested_at, expires_at = excluded.expires_at""")
			.params(id, accountId, newEmail, utc(now), utc(expiresAt))
			.update();
	}

	/**
	 * A new token for the change, valid until {@code expiresAt}, replacing an earlier one; the
	 * only copy is returned. Empty when the change is gone (replaced, confirmed or cancelled).
	 */
	Optional<String> issueToken(UUID changeId, Instant expiresAt) {
		byte[] random = new byte[TOKEN_BYTES];
		RANDOM.nextBytes(random);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		int updated = jdbc.sql("UPDATE email_change SET token_hash = ?, expires_at = ? WHERE id = ?")
			.params(SecretHashes.sha256(token), utc(expiresAt), changeId)
			.update();
		return updated == 1 ? Optional.of(token) : Optional.empty();
	}

	/** Forgets the token of a link whose mail never went out. */
	void forgetToken(String token) {
		jdbc.sql("UPDATE email_change SET token_hash = NULL WHERE token_hash = ?")
			.param(SecretHashes.sha256(token))
			.update();
	}

	/**
	 * Takes the change of a usable token, atomically: of two requests racing with one token, one
	 * wins; the change is gone afterwards either way.
	 */
	Optional<Confirmed> take(String token, Instant now) {
		return jdbc.sql("""
				DELETE FROM email_change WHERE token_hash = ? AND expires_at > ?
				RETURNING account_id, new_email""")
			.params(SecretHashes.sha256(token), utc(now))
			.query((rs, row) -> new Confirmed(rs.getObject("account_id", UUID.class), rs.getString("new_email")))
			.optional();
	}

	void delete(String token) {
		jdbc.sql("DELETE FROM email_change WHERE token_hash = ?").param(SecretHashes.sha256(token)).update();
	}

	/** Deletes changes that expired before {@code before}; their links could only ever answer 400. */
	int deleteExpiredBefore(Instant before) {
		return jdbc.sql("DELETE FROM email_change WHERE expires_at < ?").param(utc(before)).update();
	}

	private static java.time.OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
