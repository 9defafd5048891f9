package dev.bookmarks.bookmark.capacity;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed amount of something expensive (bytes of heap, here) shared by concurrent saves. Taking
 * from it never waits: when it is spent, the taker is refused with {@link OverloadedException}
 * (answered 503 with Retry-After), so a burst costs some callers a retry instead of costing the
 * process its heap, and nothing queues without bound.
 */
public final class Budget {

	private final String name;

	private final long capacity;

	private final Duration retryAfter;

	private final AtomicLong available;

	public Budget(String name, long capacity, Duration retryAfter) {
		if (capacity <= 0) {
			throw new IllegalArgumentException(name + " budget must be positive: " + capacity);
		}
		this.name = name;
		this.capacity = capacity;
		this.retryAfter = retryAfter;
		this.available = new AtomicLong(capacity);
	}

	public long capacity() {
		return capacity;
	}

	/** What a refusal tells the caller to wait before trying again. */
	public Duration retryAfter() {
		return retryAfter;
	}

	/** What is not taken right now. */
	public long available() {
		return available.get();
	}

	public String name() {
		return name;
	}

	/** Takes {@code amount} now, or refuses; close the reservation to give it back. */
	public Reservation reserve(long amount) {
		Reservation reservation = new Reservation();
		reservation.grow(amount);
		return reservation;
	}

	private boolean take(long amount) {
		long left;
		do {
			left = available.get();
			if (left < amount) {
				return false;
			}
		}
		while (!available.compareAndSet(left, left - amount));
		return true;
	}

	/** What one caller holds; it may grow while it works (a download as bytes arrive). */
	public final class Reservation implements AutoCloseable {

		// Guarded by this: a download may still be growing on an event loop when a cancelled save closes it.
		private long held;

		private boolean closed;

		private Reservation() {
		}

		/** Takes {@code more}, or refuses, keeping what was held until {@link #close()}. */
		public synchronized void grow(long more) {
			if (more < 0) {
				throw new IllegalArgumentException("negative amount: " + more);
			}
			if (closed) {
				throw new IllegalStateException("reservation closed");
			}
			if (!take(more)) {
				throw new OverloadedException(name, "The server is busy with other " + name + "; try again shortly.",
						retryAfter);
			}
			held += more;
		}

		public synchronized long held() {
			return held;
		}

		/** Gives everything back; idempotent. */
		@Override
		public synchronized void close() {
			closed = true;
			if (held > 0) {
				available.addAndGet(held);
				held = 0;
			}
		}

	}

}
