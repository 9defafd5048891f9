package dev.bookmarks.ranking.store;

import java.util.UUID;

/**
 * One image's counters: views all time, current likes, views and distinct signed-in viewers
 * (estimated, HyperLogLog) in the current UTC day.
 */
public record ImageStats(UUID imageId, long views, long likes, long viewsToday, long uniqueViewersToday) {
}
