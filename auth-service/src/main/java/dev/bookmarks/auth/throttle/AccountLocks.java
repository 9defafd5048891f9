package dev.bookmarks.auth.throttle;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Locks an account after too many failed logins within a window ({@code login_lock}). Every
 * password check is counted before it runs and kept when it fails ({@link #begin},
 * {@link #failed}); a success forgets them. Failures before the end of the previous lock never
 * count again, so a lock that has run out does not come straight back at the next mistake.
 */
@Component
public class AccountLocks {

	static final String FAILURE = "login-failure-account";

	private static final Logger log = LoggerFactory.getLogger(AccountLocks.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final RateLimits rateLimits;

	private final ThrottlingProperties properties;

	AccountLocks(JdbcClient jdbc, TransactionTemplate transactions, RateLimits rateLimits,
			ThrottlingProperties properties) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.rateLimits = rateLimits;
		this.properties = properties;
	}

	/** One counted password check of an account, from {@link #begin} until its outcome is known. */
	public record Attempt(UUID accountId, Instant at) {
	}

	/**
	 * Counts a password check of the account before it runs, so that parallel guesses cannot all
	 * pass the lock while the slow hash of each is still running: of any number of concurrent
	 * attempts at most {@code max} (minus the failures already counted) are let through. The count
	 * and the decision are one transaction under a per-account lock, on every replica at once.
	 * @return the counted attempt, or empty when the account is locked or has no attempt left
	 * (then nothing is counted, and the password must not be checked)
	 */
	public Optional<Attempt> begin(UUID accountId) {
		String subject = accountId.toString();
		Instant now = rateLimits.now();
		return transactions.execute(status -> {
			rateLimits.lock(FAILURE, subject);
			Optional<Instant> lockedUntil = lockedUntil(accountId);
			if (lockedUntil.filter(now::isBefore).isPresent()) {
				return Optional.<Attempt>empty();
			}
			if (rateLimits.count(FAILURE, subject, countedSince(lockedUntil, now)) >= properties.accountLock().max()) {
				// The last attempts are still being checked; if they fail, they lock the account.
				return Optional.<Attempt>empty();
			}
			rateLimits.insert(FAILURE, subject, now);
			return Optional.of(new Attempt(accountId, now));
		});
	}

	/**
	 * The attempt's password was wrong: it stays counted, and locks the account when the counted
	 * attempts reach the limit.
	 * @return whether this failure locked the account
	 */
	public boolean failed(Attempt attempt, String clientAddress) {
		UUID accountId = attempt.accountId();
		String subject = accountId.toString();
		Instant now = rateLimits.now();
		Boolean locked = transactions.execute(status -> {
			rateLimits.lock(FAILURE, subject);
			Optional<Instant> lockedUntil = lockedUntil(accountId);
			if (lockedUntil.filter(now::isBefore).isPresent()
					|| rateLimits.count(FAILURE, subject, countedSince(lockedUntil, now)) < properties.accountLock().max()) {
				return false;
			}
			Instant until = now.plus(properties.lockDuration());
			jdbc.sql("""
					INSERT INTO login_lock (account_id, locked_at, locked_until) VALUES (?, ?, ?)
					ON CONFLICT (account_id) DO UPDATE SET locked_at = excluded.locked_at, locked_until = excluded.locked_until""")
				.params(accountId, RateLimits.utc(now), RateLimits.utc(until))
				.update();
			return true;
		});
		if (Boolean.TRUE.equals(locked)) {
			log.warn("Account {} locked until {} after {} failed logins within {} (the last from {})", accountId,
					now.plus(properties.lockDuration()), properties.accountLock().max(),
					properties.accountLock().window(), clientAddress);
			return true;
		}
		return false;
	}

	/** The attempt's password was right: earlier failures no longer count either. */
	public void succeeded(Attempt attempt) {
		forgetFailures(attempt.accountId());
	}

	/** The attempt checked no password after all (no hashing permit came free): it does not count. */
	public void refund(Attempt attempt) {
		rateLimits.refund(FAILURE, attempt.accountId().toString(), attempt.at());
	}

	/** Failures before the end of the previous lock never count again. */
	private Instant countedSince(Optional<Instant> lockedUntil, Instant now) {
		Instant windowStart = now.minus(properties.accountLock().window());
		return lockedUntil.filter(windowStart::isBefore).orElse(windowStart);
	}

	/** After a successful login earlier failures no longer count. */
	void forgetFailures(UUID accountId) {
		rateLimits.forget(FAILURE, accountId.toString());
	}

	/**
	 * Ends a lock and forgets the failures, for when the person proved who they are another way
	 * (a password reset by mail).
	 */
	public void unlock(UUID accountId) {
		jdbc.sql("DELETE FROM login_lock WHERE account_id = ?").param(accountId).update();
		forgetFailures(accountId);
	}

	private Optional<Instant> lockedUntil(UUID accountId) {
		return jdbc.sql("SELECT locked_until FROM login_lock WHERE account_id = ?")
			.param(accountId)
			.query((rs, row) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.optional();
	}

}
