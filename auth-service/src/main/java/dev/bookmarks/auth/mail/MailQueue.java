package dev.bookmarks.auth.mail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A table of mails waiting to be sent, a small outbox: a request commits rows, a
 * {@link QueuedMailer} claims due rows and deletes each once it is done with it. Besides its own
 * columns every such table has {@code id uuid, requested_at timestamptz, attempts integer DEFAULT 0,
 * next_attempt_at timestamptz, last_error text}. Every time is written from the service's clock.
 *
 * @param <T> what a row's own columns say about its mail
 */
public final class MailQueue<T> {

	/** Reads a claimed row's own columns. */
	@FunctionalInterface
	public interface Columns<T> {

		T read(ResultSet row) throws SQLException;

	}

	/** A claimed mail. {@code attempts} counts this one. */
	public record Claimed<T>(UUID id, int attempts, T mail) {
	}

	private final JdbcClient jdbc;

	private final String table;

	private final List<String> columns;

	private final Columns<T> reader;

	private final String insert;

	private final String claim;

	/**
	 * @param table the queue's table; a name from our own code, as it becomes part of the SQL
	 * @param columns the table's own columns, in the order {@link #add} takes their values
	 * @param reader reads those columns of a claimed row
	 */
	public MailQueue(JdbcClient jdbc, String table, List<String> columns, Columns<T> reader) {
		this.jdbc = jdbc;
		this.table = table;
		this.columns = List.copyOf(columns);
		this.reader = reader;
		String own = String.join(", ", columns);
		this.insert = "INSERT INTO %s (id, requested_at, next_attempt_at, %s) VALUES (?, ?, ?%s)".formatted(table, own,
				", ?".repeat(columns.size()));
		this.claim = """
				UPDATE %1$s SET attempts = attempts + 1, next_attempt_at = :leaseUntil
				WHERE id IN (
				  SELECT id FROM %1$s WHERE next_attempt_at <= :now
				  ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
				RETURNING id, attempts, %2$s""".formatted(table, own);
	}

	/** Queues a mail, due at once. Part of the caller's transaction, if it has one. */
	public void add(Instant now, Object... values) {
		if (values.length != columns.size()) {
			throw new IllegalArgumentException(table + " takes " + columns + ", not " + values.length + " values");
		}
		List<Object> params = new ArrayList<>(List.of(UUID.randomUUID(), utc(now), utc(now)));
		params.addAll(Arrays.asList(values));
		jdbc.sql(insert).params(params).update();
	}

	/**
	 * Claims up to {@code limit} due mails until {@code leaseUntil}: another replica skips them, and
	 * if this one dies while sending they come due again when the lease ends.
	 */
	List<Claimed<T>> claim(Instant now, Instant leaseUntil, int limit) {
		return jdbc.sql(claim)
			.param("now", utc(now))
			.param("leaseUntil", utc(leaseUntil))
			.param("limit", limit)
			.query((rs, row) -> new Claimed<>(rs.getObject("id", UUID.class), rs.getInt("attempts"), reader.read(rs)))
			.list();
	}

	void retryAt(UUID id, Instant at, String error) {
		jdbc.sql("UPDATE " + table + " SET next_attempt_at = ?, last_error = ? WHERE id = ?")
			.params(utc(at), error, id)
			.update();
	}

	void done(UUID id) {
		jdbc.sql("DELETE FROM " + table + " WHERE id = ?").param(id).update();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
