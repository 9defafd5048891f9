package dev.bookmarks.graph.directory;

import java.util.UUID;

/** A person as the directory lists them. */
public record DirectoryUser(UUID id, String username, String displayName, String photoUrl, long followers,
		long following, long images) {
}
