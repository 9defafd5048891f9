package dev.bookmarks.ranking.store;

import java.util.UUID;

/** One place in a ranking; title and thumbnail are null while the image's ImageBookmarked has not arrived. */
public record RankedImage(int rank, UUID imageId, String title, String thumbnailUrl, long score) {
}
