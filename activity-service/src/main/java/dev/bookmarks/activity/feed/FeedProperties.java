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
 * @param heartbeat how often an idle stream gets a comment line (proxies close silent connections)
 * @param maxConnections open streams per instance; beyond it 503 with {@code Retry-After}
 * @param maxConnectionsPerUser open streams per person (tabs, devices); beyond it 429
 */
@ConfigurationProperties("bookmarks.activity.feed")
record FeedProperties(Integer maxConcurrentQueries, Integer denseFollowingThreshold) {

	FeedProperties {
		maxConcurrentQueries = maxConcurrentQueries != null ? maxConcurrentQueries : 64;
		denseFollowingThreshold = denseFollowingThreshold != null ? denseFollowingThreshold : 2000;
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
