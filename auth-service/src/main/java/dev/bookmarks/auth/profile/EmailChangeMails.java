package dev.bookmarks.auth.profile;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Mails about email changes waiting to be sent ({@code email_change_mail}), a small outbox: the
 * request commits rows, the mailer claims due rows and deletes each once it is done with it.
 */
@Repository
class EmailChangeMails {

	enum Kind {

		/** The link, to the new address. */
		CONFIRM,

		/** To the old address: a change was asked for. */
		NOTICE,

		/** To an address another account has: someone asked for it. No link. */
		TAKEN

	}

	/** A claimed mail. {@code attempts} counts this one. */
	record Pending(UUID id, Kind kind, UUID accountId, UUID changeId, String recipient, String newEmail,
			int attempts) {
	}

	private final JdbcClient jdbc;

	EmailChangeMails(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void add(Kind kind, UUID accountId, UUID changeId, String recipient, String newEmail, Instant now) {
		jdbc.sql("""
				INSERT INTO email_change_mail (id, kind, account_id, change_id, recipient, new_email, requested_at,
				                               next_attempt_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(UUID.randomUUID(), kind.name(), accountId, changeId, recipient, newEmail, utc(now), utc(now))
			.update();
	}

	/**
	 * Claims up to {@code limit} due mails until {@code leaseUntil}: another replica skips them, and
	 * if this one dies while sending they come due again when the lease ends.
	 */
	List<Pending> claim(Instant now, Instant leaseUntil, int limit) {
		return jdbc.sql("""
				UPDATE email_change_mail SET attempts = attempts + 1, next_attempt_at = :leaseUntil
				WHERE id IN (
				  SELECT id FROM email_change_mail WHERE next_attempt_at <= :now
				  ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
				RETURNING id, kind, account_id, change_id, recipient, new_email, attempts""")
			.param("now", utc(now))
			.param("leaseUntil", utc(leaseUntil))
			.param("limit", limit)
			.query((rs, row) -> new Pending(rs.getObject("id", UUID.class), Kind.valueOf(rs.getString("kind")),
					rs.getObject("account_id", UUID.class), rs.getObject("change_id", UUID.class),
					rs.getString("recipient"), rs.getString("new_email"), rs.getInt("attempts")))
			.list();
	}

	void retryAt(UUID id, Instant at, String error) {
		jdbc.sql("UPDATE email_change_mail SET next_attempt_at = ?, last_error = ? WHERE id = ?")
			.params(utc(at), error, id)
			.update();
	}

	void done(UUID id) {
		jdbc.sql("DELETE FROM email_change_mail WHERE id = ?").param(id).update();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
