package dev.bookmarks.activity.action;

import java.util.UUID;

/** An action just written, for the live streams: its actor and its writing transaction. */
public record NewAction(UUID id, UUID actorId, long tx) {

	/** The pub/sub message: {@code tx actorId}. */
	String message() {
		return tx + " " + actorId;
	}

	/** The actor and transaction of a message; {@code null} for one that does not parse. */
	public static NewAction parse(String message) {
		String[] parts = message == null ? new String[0] : message.trim().split(" ");
		if (parts.length != 2) {
			return null;
		}
		try {
			return new NewAction(null, UUID.fromString(parts[1]), Long.parseLong(parts[0]));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
