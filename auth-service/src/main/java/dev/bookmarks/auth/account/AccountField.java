package dev.bookmarks.auth.account;

/** The account fields that must be unique, with their names in the API. */
public enum AccountField {

	USERNAME("username"), EMAIL("email");

	private final String jsonName;

	AccountField(String jsonName) {
		this.jsonName = jsonName;
	}

	public String jsonName() {
		return jsonName;
	}

}
