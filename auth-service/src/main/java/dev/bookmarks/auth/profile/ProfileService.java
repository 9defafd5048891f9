package dev.bookmarks.auth.profile;

import java.util.Objects;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountRepository;
import dev.bookmarks.auth.oidc.AuthProperties;
import dev.bookmarks.auth.profile.ProfileChanges.Change;
import dev.bookmarks.auth.profile.ProfileRepository.LockedAccount;
import dev.bookmarks.auth.profile.photo.AvatarStore;
import dev.bookmarks.auth.profile.photo.ProcessedPhoto;
import dev.bookmarks.events.user.UserProfileUpdated;
import dev.bookmarks.platform.outbox.JdbcOutbox;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

/**
 * Changes a person's own profile: names, date of birth and photo (the email address changes
 * through {@link EmailChanges}). Each change that alters anything writes one
 * {@link UserProfileUpdated} in the same transaction; a request that changes nothing writes
 * nothing.
 */
@Service
public class ProfileService {

	private final AccountRepository accounts;

	private final ProfileRepository profiles;

	private final AvatarStore avatars;

	private final JdbcOutbox outbox;

	private final TransactionTemplate transactions;

	private final String avatarBaseUrl;

	ProfileService(AccountRepository accounts, ProfileRepository profiles, AvatarStore avatars, JdbcOutbox outbox,
			TransactionTemplate transactions, AuthProperties properties) {
		this.accounts = accounts;
		this.profiles = profiles;
		this.avatars = avatars;
		this.outbox = outbox;
		this.transactions = transactions;
		this.avatarBaseUrl = properties.publicOrigin() + "/media/avatars/";
	}

	/**
	 * Changes the names and the date of birth; joins the caller's transaction if there is one.
	 * @throws ResponseStatusException 404 when the account no longer exists
	 */
	public Account update(UUID accountId, ProfileChanges changes) {
		return transactions.execute(status -> {
			profiles.lock(accountId).orElseThrow(ProfileService::gone);
			Account current = accounts.findById(accountId).orElseThrow(ProfileService::gone);
			String firstName = valueOr(changes.firstName(), current.firstName());
			String lastName = valueOr(changes.lastName(), current.lastName());
			var dateOfBirth = valueOr(changes.dateOfBirth(), current.dateOfBirth());
			if (Objects.equals(firstName, current.firstName()) && Objects.equals(lastName, current.lastName())
					&& Objects.equals(dateOfBirth, current.dateOfBirth())) {
				return current;
			}
			profiles.update(accountId, firstName, lastName, dateOfBirth);
			return published(accountId);
		});
	}

	/**
	 * Shows the photo on the account. The photo it showed before is deleted afterwards when no
	 * other account shows it.
	 */
	public Account changePhoto(UUID accountId, ProcessedPhoto photo) {
		String[] replaced = new String[1];
		Account account = transactions.execute(status -> {
			LockedAccount locked = profiles.lock(accountId).orElseThrow(ProfileService::gone);
			if (photo.sha256().equals(locked.photoSha256())) {
				return accounts.findById(accountId).orElseThrow(ProfileService::gone);
			}
			avatars.save(photo);
			profiles.updatePhoto(accountId, photo.sha256(), avatarBaseUrl + photo.fileName());
			replaced[0] = locked.photoSha256();
			return published(accountId);
		});
		if (replaced[0] != null) {
			avatars.deleteIfUnused(replaced[0]);
		}
		return account;
	}

	/** The account as it is now, with its UserProfileUpdated written in the caller's transaction. */
	Account published(UUID accountId) {
		Account updated = accounts.findById(accountId).orElseThrow(ProfileService::gone);
		outbox.append(new UserProfileUpdated(updated.id(), updated.username(), updated.displayName(),
				updated.photoUrl(), updated.updatedAt()));
		return updated;
	}

	private static <T> T valueOr(Change<T> change, T current) {
		return change == null ? current : change.value();
	}

	static ResponseStatusException gone() {
		return new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND,
				"The account no longer exists.");
	}

}
