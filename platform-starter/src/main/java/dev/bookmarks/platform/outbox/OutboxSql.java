package dev.bookmarks.platform.outbox;

/**
 * The statements of the outbox, shared by the R2DBC and the JDBC implementation. Positional
 * parameters are written {@code ?} and translated to {@code $n} for R2DBC.
 */
final class OutboxSql {

	static final String INSERT = """
			INSERT INTO outbox (id, topic, aggregate_id, event_type, event_version, envelope, occurred_at,
			                    traceparent, tracestate)
			VALUES (?, ?, ?, ?, ?, CAST(? AS json), ?, ?, ?)""";

	/**
	 * One relay publishes at a time, whatever the number of replicas: the others find the lock
	 * taken and wait for their next cycle. This keeps one aggregate's events in commit order on
	 * the wire; {@code SKIP LOCKED} below is the second line of defence against double sending.
	 */
	static final String TRY_LEAD = "SELECT pg_try_advisory_xact_lock(hashtext('bookmarks.outbox-relay'))";

	/**
	 * Claims due rows and keeps them locked until the claiming transaction ends; rows that another
	 * relay holds are skipped, so two relays never publish the same row at the same time.
	 */
	static final String CLAIM = """
			SELECT id, topic, aggregate_id, envelope::text AS envelope, attempts, traceparent, tracestate
			FROM outbox
			WHERE sent_at IS NULL AND parked_at IS NULL AND next_attempt_at <= now()
			ORDER BY occurred_at, id
			LIMIT ?
			FOR UPDATE SKIP LOCKED""";

	static final String MARK_SENT = "UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ?";

	static final String MARK_FAILED = """
			UPDATE outbox SET attempts = attempts + 1, last_error = ?,
			    next_attempt_at = now() + CAST(? AS interval),
			    parked_at = CASE WHEN attempts + 1 >= ? THEN now() END
			WHERE id = ?""";

	static final String DELETE_SENT_BEFORE = "DELETE FROM outbox WHERE sent_at < now() - CAST(? AS interval)";

	static final String COUNT_PENDING = "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND parked_at IS NULL";

	static final String COUNT_PARKED = "SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL";

	private OutboxSql() {
	}

	/** Rewrites {@code ?} placeholders as PostgreSQL's {@code $1, $2, ...} for R2DBC. */
	static String numbered(String sql) {
		StringBuilder out = new StringBuilder(sql.length() + 8);
		int n = 0;
		for (char c : sql.toCharArray()) {
			if (c == '?') {
				out.append('$').append(++n);
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	static String interval(java.time.Duration duration) {
		return duration.toMillis() + " milliseconds";
	}

}
