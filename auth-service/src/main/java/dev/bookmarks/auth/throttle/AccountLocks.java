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
 * Locks an account after too many failed logins within a window ({@code login_lock}). Failures
 * before the end of the previous lock never count again, so a lock that has run out does not come
 * straight back at the next mistake.
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

	public boolean isLocked(UUID accountId) {
		return lockedUntil(accountId).filter(until -> until.isAfter(rateLimits.now())).isPresent();
	}

	/**
	 * Counts a failed login of the account and locks it when that failure reaches the limit.
	 * @return whether this failure locked the account
	 */
	boolean recordFailure(UUID accountId, String clientAddress) {
		String subject = accountId.toString();
		Instant now = rateLimits.now();
		Boolean locked = transactions.execute(status -> {
			rateLimits.lock(FAILURE, subject);
			rateLimits.insert(FAILURE, subject, now);
			Instant windowStart = now.minus(properties.accountLock().window());
			Instant since = lockedUntil(accountId).filter(windowStart::isBefore).orElse(windowStart);
			if (rateLimits.count(FAILURE, subject, since) < properties.accountLock().max()) {
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
