package dev.bookmarks.ranking.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One ImageViewed and where it sits in its partition of the views topic: the offset is what makes
 * it count once (see {@link RankingStore#views}).
 *
 * @param viewerId null for an anonymous view
 */
public record View(long offset, UUID imageId, UUID viewerId, Instant viewedAt) {
}
