package dev.bookmarks.events;

/**
 * Kafka topics, one per aggregate type. Records are keyed by the aggregate id so that one
 * aggregate's events stay in order on one partition.
 */
public final class Topics {

	/** Account lifecycle: registered, profile updated, roles changed. Key: user id. */
	public static final String USER_EVENTS = "bookmarks.user-events";

	/** Image lifecycle and likes. Key: image id. */
	public static final String IMAGE_EVENTS = "bookmarks.image-events";

	/** Follow and unfollow. Key: follower id. */
	public static final String FOLLOW_EVENTS = "bookmarks.follow-events";

	/** High-volume image views, kept apart so they never delay the lifecycle events. Key: image id. */
	public static final String IMAGE_VIEWS = "bookmarks.image-views";

	/** Suffix of the dead-letter topic that belongs to each topic above. */
	public static final String DEAD_LETTER_SUFFIX = ".DLT";

	private Topics() {
	}

	public static String deadLetterOf(String topic) {
		return topic + DEAD_LETTER_SUFFIX;
	}

}
