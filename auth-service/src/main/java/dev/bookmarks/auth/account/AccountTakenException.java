package dev.bookmarks.auth.account;

import java.util.Set;

/** A registration asked for a username or an email that another account already has. */
public class AccountTakenException extends RuntimeException {

	private final Set<AccountField> fields;

	AccountTakenException(Set<AccountField> fields) {
		super("Already taken: " + fields);
		this.fields = Set.copyOf(fields);
	}

	public Set<AccountField> fields() {
		return fields;
	}

}
