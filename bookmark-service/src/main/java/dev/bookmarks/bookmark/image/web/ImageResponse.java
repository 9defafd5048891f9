package dev.bookmarks.bookmark.image.web;

import java.time.Instant;
import java.util.UUID;

import dev.bookmarks.bookmark.image.ImageRow;
import dev.bookmarks.bookmark.image.MediaUrls;

/** An image as docs/api.md describes it, plus {@code detailUrl}, a bounded-width picture for detail pages. */
record ImageResponse(UUID id, String slug, String title, String description, String sourceUrl, String imageUrl,
		String thumbnailUrl, String detailUrl, int width, int height, Owner owner, long likeCount, boolean likedByMe,
		Instant createdAt) {

	record Owner(UUID id, String username) {
	}

	static ImageResponse of(ImageRow row, MediaUrls media) {
		return new ImageResponse(row.id(), row.slug(), row.title(), row.description(), row.sourceUrl(),
				media.urlOf(row.originalKey()), media.urlOf(row.squareKey()), media.urlOf(row.detailKey()), row.width(),
				row.height(), new Owner(row.ownerId(), row.ownerUsername()), row.likeCount(), row.likedByMe(),
				row.createdAt());
	}

}
