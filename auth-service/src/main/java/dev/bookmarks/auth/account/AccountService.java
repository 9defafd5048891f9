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
import java.util.function.Consumer;

import dev.bookmarks.events.user.UserRegistered;
import dev.bookmarks.platform.outbox.JdbcOutbox;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Creates and reads accounts. */
@Service
public class AccountService {

	static final List<String> DEFAULT_ROLES = List.of("USER");

	private static final StringKeyGenerator UNGUESSABLE = new Base64StringKeyGenerator(32);

	private final AccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final JdbcOutbox outbox;

	private final TransactionTemplate transactions;

	private final Clock clock;

	AccountService(AccountRepository accounts, PasswordEncoder passwordEncoder, JdbcOutbox outbox,
			TransactionTemplate transactions, ObjectProvider<Clock> clock) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.outbox = outbox;
		this.transactions = transactions;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
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
		return transactions.execute(status -> create(account));
	}

	/**
	 * Inserts the account with its UserRegistered event, inside the caller's transaction; the same
	 * for a registration and a first social sign-in.
	 */
	private Account create(Account account) {
		try {
			accounts.insert(account);
		}
		catch (DuplicateKeyException ex) {
			// Another registration won the race between the name check and this insert.
			throw new AccountTakenException(takenFieldsOf(ex));
		}
		outbox.append(new UserRegistered(account.id(), account.username(), account.displayName(),
				account.photoUrl(), account.createdAt()));
		return account;
	}

	public Optional<Account> find(UUID id) {
		return accounts.findById(id);
	}

	/**
	 * Whether {@code name} is some account's username or email address, ignoring case: what a new
	 * username or address must not be.
	 */
	public boolean isNameTaken(String name) {
		return !accounts.findTaken(name, name).isEmpty();
	}

	/**
	 * Creates the account of a person who signed in with another identity provider, and its
	 * {@link UserRegistered} event, in one transaction that {@code inTheSameTransaction} joins (to
	 * link the provider's identity). The password is random and never shown, so the login form never
	 * accepts one until the person sets their own through a password reset.
	 * @param email a verified address nobody uses, or null
	 * @throws AccountTakenException when the username or email was taken in the meantime
	 * @throws DuplicateKeyException when {@code inTheSameTransaction} inserted a duplicate
	 */
	public Account registerFederated(String username, String email, String firstName, String lastName,
			Consumer<Account> inTheSameTransaction) {
		String passwordHash = passwordEncoder.encode(UNGUESSABLE.generateKey());
		Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
		Account account = new Account(UUID.randomUUID(), username, email == null ? null : normalizeEmail(email),
				passwordHash, blankToNull(firstName), blankToNull(lastName), null, null, DEFAULT_ROLES, now, now);
		return transactions.execute(status -> {
			create(account);
			inTheSameTransaction.accept(account);
			return account;
		});
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
