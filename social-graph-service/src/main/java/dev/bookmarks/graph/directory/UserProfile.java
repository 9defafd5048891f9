package dev.bookmarks.graph.directory;

import java.util.UUID;

/** One person as {@code GET /api/users/{username}} shows them to a viewer. */
public record UserProfile(UUID id, String username, String displayName, String photoUrl, long followers,
		long following, long images, boolean followedByMe) {

	static UserProfile of(DirectoryUser user, boolean followedByMe) {
		return new UserProfile(user.id(), user.username(), user.displayName(), user.photoUrl(), user.followers(),
				user.following(), user.images(), followedByMe);
	}

}
