package dev.bookmarks.auth.account;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.bookmarks.events.user.UserRegistered;
import dev.bookmarks.platform.outbox.JdbcOutbox;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Creates and reads accounts. */
@Service
public class AccountService {

	static final List<String> DEFAULT_ROLES = List.of("USER");

	private final AccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final JdbcOutbox outbox;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	AccountService(AccountRepository accounts, PasswordEncoder passwordEncoder, JdbcOutbox outbox,
			TransactionTemplate transactions, ObjectProvider<Clock> clock, ApplicationEventPublisher events) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.outbox = outbox;
		this.transactions = transactions;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
		this.events = events;
	}

	/**
	 * Creates the account and, in the same transaction, its {@link UserRegistered} event.
	 * @throws AccountTakenException when the username or email is in use, ignoring case
	 */
	public Account register(NewAccount request) {
		String email = normalizeEmail(request.email());
		Set<AccountField> taken = accounts.findTaken(request.username(), email);
		if (!taken.isEmpty()) {
			throw new AccountTakenException(taken);
		}
		// Hashing is slow on purpose: do it before the transaction so that it holds no connection.
		String passwordHash = passwordEncoder.encode(request.password());
		Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
		Account account = new Account(UUID.randomUUID(), request.username(), email, passwordHash,
				blankToNull(request.firstName()), blankToNull(request.lastName()), null, null, DEFAULT_ROLES, now,
				now);
		return transactions.execute(status -> {
			try {
				accounts.insert(account);
			}
			catch (DuplicateKeyException ex) {
				// Another registration won the race between the check above and this insert.
				throw new AccountTakenException(takenFieldsOf(ex));
			}
			outbox.append(new UserRegistered(account.id(), account.username(), account.displayName(),
					account.photoUrl(), account.createdAt()));
			// Listeners (such as the initial admins) act within this transaction.
			events.publishEvent(new AccountCreated(account));
			return account;
		});
	}

	public Optional<Account> find(UUID id) {
		return accounts.findById(id);
	}

	/** The domain part of an email address is case-insensitive; store it in lower case. */
	public static String normalizeEmail(String email) {
		int at = email.lastIndexOf('@');
		return at < 0 ? email : email.substring(0, at) + email.substring(at).toLowerCase(Locale.ROOT);
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

	private static Set<AccountField> takenFieldsOf(DuplicateKeyException ex) {
		String message = String.valueOf(ex.getMostSpecificCause().getMessage());
		Set<AccountField> fields = EnumSet.noneOf(AccountField.class);
		if (message.contains("account_username_unique")) {
			fields.add(AccountField.USERNAME);
		}
		if (message.contains("account_email_unique")) {
			fields.add(AccountField.EMAIL);
		}
		if (fields.isEmpty()) {
			throw ex;
		}
		return fields;
	}

}
