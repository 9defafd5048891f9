package dev.bookmarks.auth.recovery;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountRepository;
import dev.bookmarks.auth.account.CredentialRevocation;
import dev.bookmarks.auth.account.LoginSessions;
import dev.bookmarks.auth.account.PasswordPolicy;
import dev.bookmarks.auth.throttle.AccountLocks;
import dev.bookmarks.auth.throttle.RateLimits;
import dev.bookmarks.auth.throttle.TooManyRequestsException;
import dev.bookmarks.platform.web.InvalidRequestException;
import dev.bookmarks.platform.web.Problems.InvalidField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Password reset by mail: a request queues a mail whether or not the address has an account (the
 * {@link PasswordResetMailer} finds out, after the answer), and a link's token sets a new password
 * once.
 */
@Service
public class PasswordResets {

	static final String REQUEST_ADDRESS = "password-reset-address";

	static final String REQUEST_EMAIL = "password-reset-email";

	private static final Logger log = LoggerFactory.getLogger(PasswordResets.class);

	private final ResetRequests requests;

	private final ResetTokens tokens;

	private final PasswordResetMailer mailer;

	private final AccountRepository accounts;

	private final PasswordPolicy policy;

	private final PasswordEncoder passwordEncoder;

	private final CredentialRevocation revocation;

	private final LoginSessions sessions;

	private final AccountLocks locks;

	private final RateLimits rateLimits;

	private final PasswordResetProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	PasswordResets(ResetRequests requests, ResetTokens tokens, PasswordResetMailer mailer,
			AccountRepository accounts, PasswordPolicy policy, PasswordEncoder passwordEncoder,
			CredentialRevocation revocation, LoginSessions sessions, AccountLocks locks, RateLimits rateLimits,
			PasswordResetProperties properties, TransactionTemplate transactions, ObjectProvider<Clock> clock) {
		this.requests = requests;
		this.tokens = tokens;
		this.mailer = mailer;
		this.accounts = accounts;
		this.policy = policy;
		this.passwordEncoder = passwordEncoder;
		this.revocation = revocation;
		this.sessions = sessions;
		this.locks = locks;
		this.rateLimits = rateLimits;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/**
	 * Queues a reset mail for the address. The same work whether or not an account has it: the
	 * answer neither says nor takes longer. Beyond the limit for one address nothing is queued, and
	 * the caller still hears nothing different.
	 * @throws TooManyRequestsException when the client address asked too often
	 */
	public void request(String email, String clientAddress) {
		RateLimits.Decision fromAddress = rateLimits.tryAcquire(REQUEST_ADDRESS, clientAddress,
				properties.requestsPerAddress());
		if (!fromAddress.allowed()) {
			throw new TooManyRequestsException("Too many password reset requests from your address. Try again later.",
					fromAddress.retryAfter());
		}
		if (!rateLimits.tryAcquire(REQUEST_EMAIL, RateLimits.emailSubject(email), properties.requestsPerEmail())
			.allowed()) {
			log.info("Password reset request from {} not mailed: that email address had {} already",
					clientAddress, properties.requestsPerEmail());
			return;
		}
		requests.add(email.strip(), now());
		mailer.wakeUp();
	}

	/**
	 * Sets a new password with a link's token. The token and every other outstanding token of the
	 * account stop working, the account's OAuth2 authorizations (refresh tokens) are revoked, its login
	 * sessions end, a pending email change ends (whoever asked for it may have guessed the password),
	 * and a login lock ends: whoever reads the mail has proved more than a password would.
	 * @throws InvalidRequestException for a used, expired or unknown token, or a weak password
	 */
	public void confirm(String token, String newPassword) {
		UUID accountId = tokens.findUsable(token, now()).orElseThrow(PasswordResets::invalidToken);
		Account account = accounts.findById(accountId).orElseThrow(PasswordResets::invalidToken);
		List<String> problems = policy.problems(newPassword, account.username(), account.email());
		if (!problems.isEmpty()) {
			throw new InvalidRequestException(
					problems.stream().map(problem -> new InvalidField("newPassword", problem)).toList());
		}
		// Hashing is slow on purpose: before the transaction, so that it holds no connection.
		String passwordHash = passwordEncoder.encode(newPassword);
		Integer revoked = transactions.execute(status -> {
			UUID used = tokens.use(token, now()).orElseThrow(PasswordResets::invalidToken);
			accounts.updatePasswordHash(used, passwordHash);
			tokens.deleteAllOf(used);
			locks.unlock(used);
			revocation.cancelEmailChange(used);
			return revocation.revokeAuthorizations(used);
		});
		// Like a password change: whoever was logged in on another device must log in again.
		int ended = sessions.endAll(accountId);
		log.info("Password of account {} reset with a mailed link; {} OAuth2 authorizations revoked, {} login "
				+ "sessions ended", accountId, revoked, ended);
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static InvalidRequestException invalidToken() {
		return new InvalidRequestException("token",
				"This password reset link is invalid, used or expired. Ask for a new one.");
	}

}
