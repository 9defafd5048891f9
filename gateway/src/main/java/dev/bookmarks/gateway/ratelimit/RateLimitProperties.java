package dev.bookmarks.gateway.ratelimit;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Request rates through the gateway ({@code bookmarks.gateway.rate-limits.*}), token buckets kept in
 * Redis: a bucket holds {@code capacity} requests and gets one back every {@code refill}.
 *
 * @param enabled whether requests are counted at all
 * @param user the bucket of each person (the JWT's or the session's subject) for /api/** and /auth/**
 * @param address the bucket of each client address for callers without valid credentials
 * @param rules stricter buckets for expensive or abusable calls, checked in addition, by name (part of
 * the Redis key); a map so that one rule can be changed from the environment
 */
@ConfigurationProperties("bookmarks.gateway.rate-limits")
public record RateLimitProperties(boolean enabled, Bucket user, Bucket address, Map<String, Rule> rules) {

	public RateLimitProperties {
		user = user != null ? user : new Bucket(200, Duration.ofMillis(20));
		address = address != null ? address : new Bucket(100, Duration.ofMillis(50));
		rules = rules != null ? rules : Map.of();
	}

	public record Bucket(int capacity, Duration refill) {
	}

	/**
	 * @param method the HTTP method, any when empty
	 * @param path a path pattern
	 * @param per {@code user} (falling back to the address for anonymous callers) or {@code address}
	 */
	public record Rule(String method, String path, Per per, int capacity, Duration refill) {
	}

	public enum Per {
		USER, ADDRESS
	}

}
