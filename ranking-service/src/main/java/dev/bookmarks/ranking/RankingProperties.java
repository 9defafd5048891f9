package dev.bookmarks.ranking;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the rankings are kept in Redis.
 *
 * @param keyPrefix the start of every key; a hash tag (in braces) keeps all keys in one slot, which
 * the Lua scripts need on a Redis cluster
 * @param dedupeWindow how long the id of an applied image event (like, bookmark, update, deletion;
 * views are counted once by their partition's offset watermark instead, with no key of their own)
 * is remembered; must exceed the longest time after which Kafka may deliver the same event again
 * (an uncommitted offset, an outbox re-send, an offset reset done by hand). Each remembered id
 * costs about 150 bytes of Redis memory
 * @param dayRetention how long a UTC day's ranking is kept after the day ended (the week needs 6)
 * @param tombstoneRetention how long a deleted image is remembered, so that a late view does not
 * bring it back; must exceed the views topic's retention plus the consumer's worst lag
 * @param windowCacheTtl how long a multi-day union (the week) is cached
 * @param consumerGroupPrefix consumer groups are this plus {@code .views} and {@code .images}
 * @param imageEventsRetention retention ensured on the image-events topic at start-up so that likes
 * and display data can be rebuilt from its beginning: {@code infinite}, a duration (e.g.
 * {@code P90D}) or {@code unchanged}
 * @param imageViewsRetention the same for the views topic; {@code unchanged} keeps the broker's
 * default (7 days), which bounds what a rebuild recovers of the view counts
 * @param rebuildLease how long a rebuild holds its lease without renewing it; a rebuild whose
 * instance died is abandoned after it
 */
@ConfigurationProperties("bookmarks.rankings")
public record RankingProperties(String keyPrefix, Duration dedupeWindow, Duration dayRetention,
		Duration tombstoneRetention, Duration windowCacheTtl, String consumerGroupPrefix, String imageEventsRetention,
		String imageViewsRetention, Duration rebuildLease) {

	public RankingProperties {
		keyPrefix = keyPrefix != null && !keyPrefix.isBlank() ? keyPrefix : "{rankings}";
		dedupeWindow = dedupeWindow != null ? dedupeWindow : Duration.ofDays(8);
		dayRetention = dayRetention != null ? dayRetention : Duration.ofDays(8);
		tombstoneRetention = tombstoneRetention != null ? tombstoneRetention : Duration.ofDays(30);
		windowCacheTtl = windowCacheTtl != null ? windowCacheTtl : Duration.ofSeconds(10);
		consumerGroupPrefix = consumerGroupPrefix != null ? consumerGroupPrefix : "ranking-service";
		imageEventsRetention = imageEventsRetention != null ? imageEventsRetention : "infinite";
		imageViewsRetention = imageViewsRetention != null ? imageViewsRetention : "unchanged";
		rebuildLease = rebuildLease != null ? rebuildLease : Duration.ofMinutes(2);
		if (dayRetention.compareTo(Duration.ofDays(6)) < 0) {
			throw new IllegalArgumentException("bookmarks.rankings.day-retention must be at least 6 days (the week)");
		}
	}

}
