package dev.bookmarks.auth.profile;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountRepository;
import dev.bookmarks.auth.account.CredentialRevocation;
import dev.bookmarks.auth.profile.EmailChangeMails.Kind;
import dev.bookmarks.auth.profile.EmailChangeRequests.Confirmed;
import dev.bookmarks.auth.security.PasswordHashingBusyException;
import dev.bookmarks.auth.throttle.PasswordChecks;
import dev.bookmarks.auth.throttle.RateLimits;
import dev.bookmarks.auth.throttle.TooManyRequestsException;
import dev.bookmarks.platform.web.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Changing the email address, which is what a password reset mails to: so it takes the current
 * password (a stolen access token alone must not become lasting control of the account), and the
 * new address only becomes the account's when the link mailed to it is opened. The old address is
 * told. The answer never says whether the new address belongs to someone else: that account's
 * owner gets a notice instead of a link.
 */
@Service
public class EmailChanges {

	static final String REQUESTS = "email-change-account";

	public static final String WRONG_PASSWORD = "Your password was entered incorrectly. Please enter it again.";

	public static final String INVALID_LINK = "This email confirmation link is invalid, used or expired. Ask for a new one.";

	private static final Logger log = LoggerFactory.getLogger(EmailChanges.class);

	private final AccountRepository accounts;

	private final ProfileRepository profiles;

	private final ProfileService profileService;

	private final EmailChangeRequests changes;

	private final EmailChangeMails mails;

	private final EmailChangeMailer mailer;

	private final PasswordChecks passwordChecks;

	private final RateLimits rateLimits;

	private final CredentialRevocation revocation;

	private final EmailChangeProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	EmailChanges(AccountRepository accounts, ProfileRepository profiles, ProfileService profileService,
			EmailChangeRequests changes, EmailChangeMails mails, EmailChangeMailer mailer,
			PasswordChecks passwordChecks, RateLimits rateLimits, CredentialRevocation revocation,
			EmailChangeProperties properties, TransactionTemplate transactions, ObjectProvider<Clock> clock) {
		this.accounts = accounts;
		this.profiles = profiles;
		this.profileService = profileService;
		this.changes = changes;
		this.mails = mails;
		this.mailer = mailer;
		this.passwordChecks = passwordChecks;
		this.rateLimits = rateLimits;
		this.revocation = revocation;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/**
	 * Applies the other changes of the same patch and asks for the new address, replacing an
	 * earlier request; the account's outstanding password reset links end. The address is mailed a
	 * link when nobody else has it, else its owner a notice; the old address a notice either way.
	 * An address equal to the current one cancels a pending change and mails nothing.
	 * @param newEmail already validated and normalised
	 * @return the account as it is now, still with its old address
	 * @throws TooManyRequestsException beyond the requests allowed per account
	 * @throws InvalidRequestException for a wrong password, also while the account is locked
	 * @throws PasswordHashingBusyException when the password could not be checked in time
	 */
	public Account request(UUID accountId, ProfileChanges otherChanges, String newEmail, String currentPassword,
			String clientAddress) {
		RateLimits.Decision decision = rateLimits.tryAcquire(REQUESTS, accountId.toString(),
				properties.requestsPerAccount());
		if (!decision.allowed()) {
			throw new TooManyRequestsException("Too many email address changes. Try again later.",
					decision.retryAfter());
		}
		Account account = accounts.findById(accountId).orElseThrow(ProfileService::gone);
		// Counted against the login's account lock: a wrong password here is a failed login.
		if (!passwordChecks.matches(accountId, currentPassword, account.passwordHash(), clientAddress)) {
			throw new InvalidRequestException("currentPassword", WRONG_PASSWORD);
		}
		Instant now = now();
		Account updated = transactions.execute(status -> {
			Account current = profileService.update(accountId, otherChanges);
			revocation.cancelPasswordResets(accountId);
			revocation.cancelEmailChange(accountId);
			if (newEmail.equals(current.email())) {
				return current;
			}
			if (profiles.isEmailTakenByAnother(accountId, newEmail)) {
				mails.add(Kind.TAKEN, accountId, null, newEmail, newEmail, now);
			}
			else {
				UUID changeId = UUID.randomUUID();
				changes.replace(changeId, accountId, newEmail, now, now.plus(properties.tokenTimeToLive()));
				mails.add(Kind.CONFIRM, accountId, changeId, newEmail, newEmail, now);
			}
			if (current.email() != null) {
				mails.add(Kind.NOTICE, accountId, null, current.email(), newEmail, now);
			}
			return current;
		});
		mailer.wakeUp();
		log.info("Email change of account {} requested; the new address must confirm it", accountId);
		return updated;
	}

	/**
	 * Makes a link's address the account's. The link works once; the account's outstanding
	 * password reset links end.
	 * @throws InvalidRequestException for a used, expired or unknown token
	 * @throws EmailTakenException when another account took the address in the meantime
	 */
	public void confirm(String token) {
		Instant now = now();
		Optional<Confirmed> outcome;
		try {
			outcome = transactions.execute(status -> {
				Optional<Confirmed> confirmed = changes.take(token, now);
				if (confirmed.isEmpty() || profiles.lock(confirmed.get().accountId()).isEmpty()) {
					return Optional.<Confirmed>empty();
				}
				UUID accountId = confirmed.get().accountId();
				if (profiles.isEmailTakenByAnother(accountId, confirmed.get().newEmail())) {
					// The change is used up either way: the address is someone else's now.
					throw new EmailTakenException();
				}
				profiles.updateEmail(accountId, confirmed.get().newEmail());
				revocation.cancelPasswordResets(accountId);
				profileService.published(accountId);
				return confirmed;
			});
		}
		catch (EmailTakenException | DuplicateKeyException ex) {
			// Rolled back; another account has the address (the latter: it took it after the check).
			changes.delete(token);
			throw new EmailTakenException();
		}
		Confirmed confirmed = outcome.orElseThrow(() -> new InvalidRequestException("token", INVALID_LINK));
		log.info("Email address of account {} changed through the link mailed to it", confirmed.accountId());
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
