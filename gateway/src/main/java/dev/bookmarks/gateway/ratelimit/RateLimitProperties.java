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
 * @param lease how many tokens of a person's or address's general bucket an instance takes from Redis at
 * once and spends locally (at most a tenth of the bucket; 1: a Redis call for every request)
 * @param leaseTime how long tokens taken ahead stay usable; unused ones are then lost. 10 s by default: long enough
 * that a person who reads every few seconds is counted without a Redis call for most requests (with one second, each
 * such read made its own), short enough that what is lost stays far below the refill (at most a lease per instance
 * and lease time: 1 token a second against the 50 a second a person's bucket refills)
 */
@ConfigurationProperties("bookmarks.gateway.rate-limits")
public record RateLimitProperties(boolean enabled, Bucket user, Bucket address, Map<String, Rule> rules,
		Integer lease, Duration leaseTime) {

	public RateLimitProperties {
		user = user != null ? user : new Bucket(200, Duration.ofMillis(20));
		address = address != null ? address : new Bucket(100, Duration.ofMillis(50));
		rules = rules != null ? rules : Map.of();
		lease = lease != null ? lease : 10;
		leaseTime = leaseTime != null ? leaseTime : Duration.ofSeconds(10);
		if (lease < 1 || leaseTime.isNegative() || leaseTime.isZero()) {
			throw new IllegalArgumentException("bookmarks.gateway.rate-limits.lease must be at least 1 and lease-time positive");
		}
	}

	/** Tokens of this general bucket taken from Redis at once: at most a tenth of it, at least one. */
	int leaseOf(Bucket bucket) {
		return Math.max(1, Math.min(lease, bucket.capacity() / 10));
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
