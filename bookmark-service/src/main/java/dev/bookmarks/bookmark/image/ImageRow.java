package dev.bookmarks.bookmark.image;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An image as stored, with what the reader needs to know about it. */
public record ImageRow(UUID id, UUID ownerId, String ownerUsername, String slug, String title, String description,
		String sourceUrl, String originalKey, String squareKey, String detailKey, int width, int height,
		long likeCount, boolean likedByMe, Instant createdAt) {

	List<String> blobKeys() {
		return List.of(originalKey, squareKey, detailKey);
	}

}
