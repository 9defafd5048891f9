package dev.bookmarks.auth.recovery;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reset requests waiting for their mail ({@code password_reset_request}), a small outbox: the
 * request commits a row, the mailer claims due rows and deletes each once it is done with it.
 */
@Repository
class ResetRequests {

	/** A claimed request. {@code attempts} counts this one. */
	record Pending(UUID id, String email, int attempts) {
	}

	private final JdbcClient jdbc;

	ResetRequests(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void add(String email, Instant now) {
		jdbc.sql("""
				INSERT INTO password_reset_request (id, email, requested_at, next_attempt_at)
				VALUES (?, ?, ?, ?)""")
			.params(UUID.randomUUID(), email, now.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC))
			.update();
	}

	/**
	 * Claims up to {@code limit} due requests until {@code leaseUntil}: another replica skips them,
	 * and if this one dies while sending they come due again when the lease ends.
	 */
	List<Pending> claim(Instant now, Instant leaseUntil, int limit) {
		return jdbc.sql("""
				UPDATE password_reset_request SET attempts = attempts + 1, next_attempt_at = :leaseUntil
				WHERE id IN (
				  SELECT id FROM password_reset_request WHERE next_attempt_at <= :now
				  ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
				RETURNING id, email, attempts""")
			.param("now", now.atOffset(ZoneOffset.UTC))
			.param("leaseUntil", leaseUntil.atOffset(ZoneOffset.UTC))
			.param("limit", limit)
			.query((rs, row) -> new Pending(rs.getObject("id", UUID.class), rs.getString("email"), rs.getInt("attempts")))
			.list();
	}

	void retryAt(UUID id, Instant at, String error) {
		jdbc.sql("UPDATE password_reset_request SET next_attempt_at = ?, last_error = ? WHERE id = ?")
			.params(at.atOffset(ZoneOffset.UTC), error, id)
			.update();
	}

	void done(UUID id) {
		jdbc.sql("DELETE FROM password_reset_request WHERE id = ?").param(id).update();
	}

}
