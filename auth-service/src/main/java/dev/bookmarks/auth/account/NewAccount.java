package dev.bookmarks.auth.account;

/** What a person gives to register; already validated. */
public record NewAccount(String username, String email, String password, String firstName, String lastName) {

	@Override
	public String toString() {
		return "NewAccount[username=" + username + ", email=" + email + "]";
	}

}
