package dev.bookmarks.activity.feed;

import java.time.Instant;
import java.util.UUID;

/** An action as API.md shows it. */
record ActionView(UUID id, Actor actor, String verb, Target target, Instant createdAt) {

	record Actor(UUID id, String username, String photoUrl) {
	}

	/** {@code {type: "image", id, title, thumbnailUrl}} or {@code {type: "user", id, username}}. */
	sealed interface Target permits ImageTarget, UserTarget {

		String type();

	}

	record ImageTarget(String type, UUID id, String title, String thumbnailUrl) implements Target {

		ImageTarget(UUID id, String title, String thumbnailUrl) {
			this("image", id, title, thumbnailUrl);
		}

	}

	record UserTarget(String type, UUID id, String username) implements Target {

		UserTarget(UUID id, String username) {
			this("user", id, username);
		}

	}

}
