package dev.bookmarks.auth.recovery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountRepository;
import dev.bookmarks.auth.mail.MailQueue.Claimed;
import dev.bookmarks.auth.mail.QueuedMailer;
import dev.bookmarks.auth.oidc.AuthProperties;
import dev.bookmarks.auth.throttle.RateLimits;
import dev.bookmarks.auth.throttle.ThrottlingProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.stereotype.Component;

/**
 * Sends the reset mails of queued requests (see {@link QueuedMailer} for when, and for retries).
 * For each request it looks the account up by email (no account: done, nothing is sent), issues a
 * token and sends the link; a failed send forgets that token. Also deletes expired tokens and old
 * throttling counts now and then.
 */
@Component
class PasswordResetMailer extends QueuedMailer<String> {

	/** Expired tokens are kept a day, for questions about a link someone got. */
	private static final Duration EXPIRED_TOKEN_RETENTION = Duration.ofDays(1);

	private final ResetTokens tokens;

	private final AccountRepository accounts;

	private final RateLimits rateLimits;

	private final PasswordResetProperties properties;

	private final Duration throttleRetention;

	private final String publicOrigin;

	PasswordResetMailer(ResetRequests requests, ResetTokens tokens, AccountRepository accounts, MailSender mailSender,
			RateLimits rateLimits, PasswordResetProperties properties, ThrottlingProperties throttling,
			AuthProperties authProperties, @Value("${bookmarks.auth.mail-from:no-reply@localhost}") String mailFrom,
			ObjectProvider<Clock> clock) {
		super("password-reset-mailer", requests.queue(), mailSender, properties, mailFrom,
				clock.getIfAvailable(Clock::systemUTC));
		this.tokens = tokens;
		this.accounts = accounts;
		this.rateLimits = rateLimits;
		this.properties = properties;
		this.throttleRetention = throttling.retention();
		this.publicOrigin = authProperties.publicOrigin();
	}

	@Override
	protected Optional<Outgoing> prepare(Claimed<String> request) {
		Optional<Account> found = accounts.findByEmail(request.mail());
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Account account = found.get();
		Instant now = now();
		String token = tokens.issue(account.id(), now, now.plus(properties.tokenTimeToLive()));
		return Optional.of(new Outgoing(message(account, token), "Password reset mail for account " + account.id(),
				() -> tokens.delete(token)));
	}

	@Override
	protected void housekeeping(Instant now) {
		tokens.deleteExpiredBefore(now.minus(EXPIRED_TOKEN_RETENTION));
		rateLimits.forgetOlderThan(throttleRetention);
	}

	private SimpleMailMessage message(Account account, String token) {
		String link = publicOrigin + "/password-reset/confirm?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
		return message(account.email(), "Reset your Bookmarks password", """
				Hello %s,

				someone, hopefully you, asked to reset the password of your Bookmarks account "%s".
				To choose a new password, open this link within %s:

				%s

				The link works once. If you did not ask for this, ignore this mail: your password stays as it is.
				""".formatted(account.displayName(), account.username(), describe(properties.tokenTimeToLive()), link));
	}

}
