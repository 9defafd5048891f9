package dev.bookmarks.auth.throttle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counts attempts in sliding windows, in PostgreSQL so that every replica sees the same counts
 * ({@code throttle_event}). An attempt over its limit is not counted: the window slides on and
 * lets the client in again once its older attempts have aged out.
 */
@Component
public class RateLimits {

	/** Subjects are addresses, ids or hashes; anything longer was not written by us. */
	private static final int MAX_SUBJECT_LENGTH = 100;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	RateLimits(JdbcClient jdbc, TransactionTemplate transactions, ObjectProvider<Clock> clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/** What a limit said about one attempt. */
	public record Decision(boolean allowed, Duration retryAfter) {

		static final Decision ALLOWED = new Decision(true, Duration.ZERO);

	}

	/**
	 * Counts the attempt if the limit allows it. Concurrent attempts of one subject queue on a
	 * transaction-scoped advisory lock, so that the limit holds exactly across replicas.
	 */
	public Decision tryAcquire(String kind, String subject, Limit limit) {
		String key = subject(subject);
		Instant now = now();
		return transactions.execute(status -> {
			lock(kind, key);
			// The newest max attempts within the window: if there are max of them, the limit is
			// reached, until the oldest of them leaves the window.
			Optional<Decision> refusal = jdbc.sql("""
					SELECT count(*) AS attempts, min(occurred_at) AS oldest FROM (
					  SELECT occurred_at FROM throttle_event
					  WHERE kind = ? AND subject = ? AND occurred_at > ?
					  ORDER BY occurred_at DESC LIMIT ?) newest""")
				.params(kind, key, utc(now.minus(limit.window())), limit.max())
				.query((rs, row) -> {
					if (rs.getLong("attempts") < limit.max()) {
						return Optional.<Decision>empty();
					}
					Instant oldest = rs.getObject("oldest", OffsetDateTime.class).toInstant();
					Duration wait = Duration.between(now, oldest.plus(limit.window()));
					return Optional.of(new Decision(false, wait.isNegative() ? Duration.ZERO : wait));
				})
				.single();
			if (refusal.isEmpty()) {
				insert(kind, key, now);
			}
			return refusal.orElse(Decision.ALLOWED);
		});
	}

	/** Whether the subject has reached the limit, without counting anything. */
	public boolean isExhausted(String kind, String subject, Limit limit) {
		return count(kind, subject(subject), now().minus(limit.window())) >= limit.max();
	}

	/** Counts an attempt whatever the limit says. */
	public void record(String kind, String subject) {
		insert(kind, subject(subject), now());
	}

	/** Attempts of the subject within the window ending now. */
	public long count(String kind, String subject, Duration window) {
		return count(kind, subject(subject), now().minus(window));
	}

	/** Forgets every attempt of the subject, for example after a successful login. */
	public void forget(String kind, String subject) {
		jdbc.sql("DELETE FROM throttle_event WHERE kind = ? AND subject = ?").params(kind, subject(subject)).update();
	}

	/** Deletes attempts older than {@code retention}; they no longer count towards any limit. */
	public int forgetOlderThan(Duration retention) {
		return jdbc.sql("DELETE FROM throttle_event WHERE occurred_at < ?").param(utc(now().minus(retention))).update();
	}

	/**
	 * A stable subject for an email address that does not keep the address itself: the SHA-256 of
	 * it in lower case.
	 */
	public static String emailSubject(String email) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(email.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-256", ex);
		}
	}

	void lock(String kind, String subject) {
		jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")
			.param(kind + ":" + subject)
			.query((rs, row) -> row)
			.list();
	}

	long count(String kind, String subject, Instant since) {
		Long count = jdbc.sql("SELECT count(*) FROM throttle_event WHERE kind = ? AND subject = ? AND occurred_at > ?")
			.params(kind, subject, utc(since))
			.query(Long.class)
			.single();
		return count == null ? 0 : count;
	}

	void insert(String kind, String subject, Instant at) {
		jdbc.sql("INSERT INTO throttle_event (kind, subject, occurred_at) VALUES (?, ?, ?)")
			.params(kind, subject, utc(at))
			.update();
	}

	Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	static String subject(String subject) {
		String value = subject == null ? "" : subject;
		return value.length() > MAX_SUBJECT_LENGTH ? value.substring(0, MAX_SUBJECT_LENGTH) : value;
	}

}
