package dev.bookmarks.activity.feed;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bounds of the feed and its live streams, per instance.
 *
 * @param maxConcurrentQueries feed and action-list queries running at once; beyond it 503 with
 * {@code Retry-After}
 * @param denseFollowingThreshold above this many followees the feed scans everyone's newest
 * actions for those of followees, instead of reading each followee's newest
 * @param timelines the per-reader timelines of recently active readers
 * @param heartbeat how often an idle stream gets a comment line (proxies close silent connections)
 * @param maxConnections open streams per instance; beyond it 503 with {@code Retry-After}
 * @param maxConnectionsPerUser open streams per person (tabs, devices); beyond it 429
 */
@ConfigurationProperties("bookmarks.activity.feed")
record FeedProperties(Integer maxConcurrentQueries, Integer denseFollowingThreshold, Timelines timelines) {

	FeedProperties {
		maxConcurrentQueries = maxConcurrentQueries != null ? maxConcurrentQueries : 64;
		denseFollowingThreshold = denseFollowingThreshold != null ? denseFollowingThreshold : 2000;
		timelines = timelines != null ? timelines : new Timelines(null, null, null, null);
	}

	/**
	 * Per-reader timelines (docs/feed.md, "Reading the feed"): a candidate list of a recently active
	 * reader's feed, filled on write, validated at read.
	 *
	 * @param enabled whether reads use and activate timelines; when off, every read is fan-out on read
	 * @param cap the newest entries kept per reader (a build takes at most the newest
	 * {@code FeedTimelines.BUILD_SIZE}); older pages fall back to fan-out on read
	 * @param idleExpiry a reader who has not read the feed for this long loses the timeline
	 * @param upkeepInterval how often trimming and expiry run
	 */
	record Timelines(Boolean enabled, Integer cap, Duration idleExpiry, Duration upkeepInterval) {

		Timelines {
			enabled = enabled != null ? enabled : true;
			cap = cap != null ? cap : 400;
			idleExpiry = idleExpiry != null ? idleExpiry : Duration.ofHours(24);
			upkeepInterval = upkeepInterval != null ? upkeepInterval : Duration.ofMinutes(5);
			if (cap < 1 || cap > 10_000) {
				throw new IllegalArgumentException("bookmarks.activity.feed.timelines.cap must be 1 to 10000: " + cap);
			}
			if (idleExpiry.compareTo(Duration.ofHours(2)) < 0) {
				// Reads refresh last_read_at at most once an hour.
				throw new IllegalArgumentException(
						"bookmarks.activity.feed.timelines.idle-expiry must be at least 2h: " + idleExpiry);
			}
			if (upkeepInterval.compareTo(Duration.ofSeconds(1)) < 0) {
				throw new IllegalArgumentException(
						"bookmarks.activity.feed.timelines.upkeep-interval must be at least 1s: " + upkeepInterval);
			}
		}

	}

	@ConfigurationProperties("bookmarks.activity.stream")
	record Stream(Duration heartbeat, Integer maxConnections, Integer maxConnectionsPerUser) {

		Stream {
			heartbeat = heartbeat != null ? heartbeat : Duration.ofSeconds(10);
			maxConnections = maxConnections != null ? maxConnections : 2000;
			maxConnectionsPerUser = maxConnectionsPerUser != null ? maxConnectionsPerUser : 5;
		}

	}

}
