package dev.bookmarks.auth.profile;

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
import dev.bookmarks.auth.profile.EmailChangeMails.Mail;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.stereotype.Component;

/**
 * Sends the mails of email changes (see {@link QueuedMailer} for when, and for retries). The
 * link's token is made when its mail goes out, so the queue holds no secret; a failed send forgets
 * that token. Also deletes expired changes now and then.
 */
@Component
class EmailChangeMailer extends QueuedMailer<Mail> {

	static final String CONFIRM_SUBJECT = "Confirm your new Bookmarks email address";

	static final String NOTICE_SUBJECT = "Your Bookmarks email address is about to change";

	static final String TAKEN_SUBJECT = "Someone asked to use your email address on Bookmarks";

	/** Expired changes are kept a day, for questions about a link someone got. */
	private static final Duration EXPIRED_RETENTION = Duration.ofDays(1);

	private final EmailChangeRequests changes;

	private final AccountRepository accounts;

	private final EmailChangeProperties properties;

	private final String publicOrigin;

	EmailChangeMailer(EmailChangeMails mails, EmailChangeRequests changes, AccountRepository accounts,
			MailSender mailSender, EmailChangeProperties properties, AuthProperties authProperties,
			@Value("${bookmarks.auth.mail-from:no-reply@localhost}") String mailFrom, ObjectProvider<Clock> clock) {
		super("email-change-mailer", mails.queue(), mailSender, properties, mailFrom,
				clock.getIfAvailable(Clock::systemUTC));
		this.changes = changes;
		this.accounts = accounts;
		this.properties = properties;
		this.publicOrigin = authProperties.publicOrigin();
	}

	@Override
	protected Optional<Outgoing> prepare(Claimed<Mail> claimed) {
		Mail mail = claimed.mail();
		Optional<Account> found = accounts.findById(mail.accountId());
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Account account = found.get();
		String about = "Email change mail " + mail.kind() + " for account " + account.id();
		return switch (mail.kind()) {
			// No token when the change was replaced by a newer request or cancelled: its link is no use.
			case CONFIRM -> changes.issueToken(mail.changeId(), now().plus(properties.tokenTimeToLive()))
				.map(token -> new Outgoing(confirmation(account, mail.recipient(), token), about,
						() -> changes.forgetToken(token)));
			case NOTICE -> Optional.of(new Outgoing(notice(account, mail.recipient(), mail.newEmail()), about));
			case TAKEN -> Optional.of(new Outgoing(taken(mail.recipient()), about));
		};
	}

	@Override
	protected void housekeeping(Instant now) {
		changes.deleteExpiredBefore(now.minus(EXPIRED_RETENTION));
	}

	private SimpleMailMessage confirmation(Account account, String to, String token) {
		String link = publicOrigin + "/account/email/confirm?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
		return message(to, CONFIRM_SUBJECT, """
				Hello %s,

				someone, hopefully you, asked to use this address for the Bookmarks account "%s".
				To confirm it, open this link within %s:

				%s

				Until then the account keeps its old address. The link works once. If you did not ask for this,
				ignore this mail: nothing changes.
				""".formatted(account.displayName(), account.username(), describe(properties.tokenTimeToLive()),
				link));
	}

	private SimpleMailMessage notice(Account account, String to, String newEmail) {
		return message(to, NOTICE_SUBJECT, """
				Hello %s,

				someone asked to change the email address of your Bookmarks account "%s" to %s.
				The account keeps this address unless the link sent to the new one is opened.

				If that was you, there is nothing to do. If it was not, someone knows your password: choose a new
				one right away at %s/password-reset (the link comes to this address). That also stops the change
				and signs out every other device.
				""".formatted(account.displayName(), account.username(), masked(newEmail), publicOrigin));
	}

	private SimpleMailMessage taken(String to) {
		return message(to, TAKEN_SUBJECT, """
				Hello,

				someone asked to use this address for another Bookmarks account. It already belongs to your
				account, so nothing was changed, and there is nothing for you to do.

				If you have forgotten your password, you can choose a new one at %s/password-reset.
				""".formatted(publicOrigin));
	}

	/**
	 * Enough of an address for its owner to recognise it, not enough to learn it from the old
	 * mailbox: {@code a***@e***.org} for {@code alice@example.org}.
	 */
	static String masked(String email) {
		int at = email.lastIndexOf('@');
		String local = at < 0 ? email : email.substring(0, at);
		String domain = at < 0 ? "" : email.substring(at + 1);
		int dot = domain.lastIndexOf('.');
		String name = dot < 0 ? domain : domain.substring(0, dot);
		String topLevel = dot < 0 ? "" : domain.substring(dot);
		return first(local) + "***@" + first(name) + "***" + topLevel;
	}

	private static String first(String value) {
		return value.isEmpty() ? "" : value.substring(0, value.offsetByCodePoints(0, 1));
	}

}
