package dev.bookmarks.activity.action;

/** What an action says someone did; the JSON name is the lower-case name. */
public enum Verb {

	REGISTERED(null), BOOKMARKED("image"), LIKED("image"), FOLLOWED("user");

	private final String targetType;

	Verb(String targetType) {
		this.targetType = targetType;
	}

	/** {@code image}, {@code user} or {@code null}: a verb always has the same kind of target. */
	public String targetType() {
		return targetType;
	}

	public String json() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
