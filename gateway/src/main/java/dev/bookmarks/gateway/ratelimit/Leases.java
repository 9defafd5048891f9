package dev.bookmarks.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tokens of the general buckets that this instance took from Redis ahead of need (the bucket script
 * grants up to a lease at once) and spends without a round trip: one Redis call per lease instead of
 * one per request. Tokens taken by requests that went to Redis at the same time are pooled, never
 * overwritten, so a burst of first requests is served from what the first of them took. A lease is
 * usable for a short time only; tokens left then are lost, so a person never gets more than the
 * bucket allows, only a little less. Across instances a bucket is exact up to one lease per instance.
 */
final class Leases {

	private static final int MAX_KEYS = 4096;

	private static final class Lease {

		final AtomicInteger left = new AtomicInteger();

		volatile long until;

		boolean valid(long now) {
			return now - until < 0;
		}

	}

	private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();

	private final long lifetimeNanos;

	Leases(Duration lifetime) {
		this.lifetimeNanos = lifetime.toNanos();
	}

	/** Spends a leased token of this bucket, if one is left and still valid. */
	boolean take(String key) {
		Lease lease = leases.get(key);
		if (lease == null) {
			return false;
		}
		if (!lease.valid(System.nanoTime())) {
			leases.remove(key, lease);
			return false;
		}
		int left;
		do {
			left = lease.left.get();
			if (left <= 0) {
				return false;
			}
		}
		while (!lease.left.compareAndSet(left, left - 1));
		return true;
	}

	/** Adds tokens taken from this bucket for the next requests (none: nothing to keep). */
	void keep(String key, int tokens) {
		if (tokens <= 0) {
			return;
		}
		long now = System.nanoTime();
		if (leases.size() >= MAX_KEYS) {
			leases.values().removeIf(lease -> !lease.valid(now) || lease.left.get() <= 0);
			if (leases.size() >= MAX_KEYS) {
				leases.clear();
			}
		}
		leases.compute(key, (k, lease) -> {
			Lease kept = lease != null && lease.valid(now) ? lease : new Lease();
			kept.left.addAndGet(tokens);
			kept.until = now + lifetimeNanos;
			return kept;
		});
	}

}
