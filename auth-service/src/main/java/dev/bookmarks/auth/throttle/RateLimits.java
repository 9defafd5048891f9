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
	 * An attempt counted by {@link #begin} before it ran.
	 * @param last whether it took the last place the limit had left
	 */
	public record Attempt(String kind, String subject, Instant at, boolean last) {
	}

	/**
	 * Counts the attempt if the limit allows it. Concurrent attempts of one subject queue on a
	 * transaction-scoped advisory lock, so that the limit holds exactly across replicas.
	 */
	public Decision tryAcquire(String kind, String subject, Limit limit) {
		return acquire(kind, subject, limit).decision();
	}

	/**
	 * Counts an attempt before the work it limits runs, like {@link #tryAcquire}: of any number of
	 * concurrent attempts of one subject at most the limit's {@code max} (minus those already
	 * counted) are let through, on every replica at once. The attempt stays counted unless it is
	 * given back with {@link #refund}.
	 * @return the counted attempt, or empty when the limit is reached (then nothing is counted)
	 */
	public Optional<Attempt> begin(String kind, String subject, Limit limit) {
		return Optional.ofNullable(acquire(kind, subject, limit).attempt());
	}

	/** Gives back an attempt of {@link #begin} that is not to count after all. */
	public void refund(Attempt attempt) {
		refund(attempt.kind(), attempt.subject(), attempt.at());
	}

	/** The refusal, or the counted attempt. */
	private record Acquired(Decision decision, Attempt attempt) {
	}

	/** The newest {@code max} attempts within a window: how many, and when the oldest of them was. */
	private record Newest(long attempts, Instant oldest) {
	}

	private Acquired acquire(String kind, String subject, Limit limit) {
		String key = subject(subject);
		Instant now = now();
		return transactions.execute(status -> {
			lock(kind, key);
			// If there are max of them, the limit is reached until the oldest leaves the window.
			Newest newest = jdbc.sql("""
					SELECT count(*) AS attempts, min(occurred_at) AS oldest FROM (
					  SELECT occurred_at FROM throttle_event
					  WHERE kind = ? AND subject = ? AND occurred_at > ?
					  ORDER BY occurred_at DESC LIMIT ?) newest""")
				.params(kind, key, utc(now.minus(limit.window())), limit.max())
				.query((rs, row) -> {
					OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
					return new Newest(rs.getLong("attempts"), oldest == null ? null : oldest.toInstant());
				})
				.single();
			if (newest.attempts() < limit.max()) {
				insert(kind, key, now);
				return new Acquired(Decision.ALLOWED, new Attempt(kind, key, now, newest.attempts() + 1 == limit.max()));
			}
			Duration wait = Duration.between(now, newest.oldest().plus(limit.window()));
			return new Acquired(new Decision(false, wait.isNegative() ? Duration.ZERO : wait), null);
		});
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

	/** Deletes one counted attempt: the subject's of that kind at that instant. */
	void refund(String kind, String subject, Instant at) {
		jdbc.sql("""
				DELETE FROM throttle_event WHERE ctid IN (
				  SELECT ctid FROM throttle_event WHERE kind = ? AND subject = ? AND occurred_at = ? LIMIT 1)""")
			.params(kind, subject, utc(at))
			.update();
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
