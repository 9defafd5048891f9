package dev.bookmarks.auth.security;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The one door every password hash goes through (login, registration, password change and reset,
 * the client secret): at most {@code permits} at once. Each Argon2 hash holds about 20 MiB of heap
 * while it runs, so without a bound a burst of logins, wrong ones included (they hash too, on
 * purpose), ends the service with an OutOfMemoryError. Hashes beyond the bound wait their turn for a
 * while, then fail with {@link PasswordHashingBusyException}.
 */
final class BoundedPasswordEncoder implements PasswordEncoder {

	/** 19 MiB of Argon2 blocks plus the headers of their 19,456 arrays, rounded up. */
	static final long BYTES_PER_HASH = 20L * 1024 * 1024;

	private final PasswordEncoder delegate;

	private final Semaphore permits;

	private final Duration permitWait;

	/** A moving average of how long one hash took, in nanoseconds. */
	private final AtomicLong typicalNanos = new AtomicLong();

	/** How long hashes waited for a permit, those that got one and those that gave up. */
	private final Timer waits;

	private final Counter refusals;

	BoundedPasswordEncoder(PasswordEncoder delegate, int permits, Duration permitWait, MeterRegistry registry) {
		this.delegate = delegate;
		this.permits = new Semaphore(permits, true);
		this.permitWait = permitWait;
		this.waits = Timer.builder("bookmarks.auth.hash.permit.wait")
			.description("Time a password hash waited for a permit of the hashing pool")
			.publishPercentileHistogram()
			.register(registry);
		this.refusals = Counter.builder("bookmarks.auth.hash.refused")
			.description("Password hashes refused because no permit came free in time (login failed, or 503)")
			.register(registry);
		Gauge.builder("bookmarks.auth.hash.permits.available", this.permits, Semaphore::availablePermits)
			.description("Permits of the hashing pool free right now")
			.register(registry);
	}

	/**
	 * Hashing is CPU work: more at once than there are cores only adds waiting. And what runs at
	 * once may hold at most a quarter of the maximum heap; the rest is the service's own.
	 */
	static int permitsFor(int cores, long maxHeapBytes) {
		long byMemory = maxHeapBytes / 4 / BYTES_PER_HASH;
		return (int) Math.max(1, Math.min(cores, byMemory));
	}

	@Override
	public String encode(CharSequence rawPassword) {
		return withPermit(() -> delegate.encode(rawPassword));
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		return withPermit(() -> delegate.matches(rawPassword, encodedPassword));
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		// Reads the parameters of the stored hash; hashes nothing.
		return delegate.upgradeEncoding(encodedPassword);
	}

	private <T> T withPermit(Supplier<T> hash) {
		long asked = System.nanoTime();
		boolean acquired;
		try {
			acquired = permits.tryAcquire(permitWait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			acquired = false;
		}
		waits.record(System.nanoTime() - asked, TimeUnit.NANOSECONDS);
		if (!acquired) {
			refusals.increment();
			throw new PasswordHashingBusyException(permitWait, typicalHashTime());
		}
		long started = System.nanoTime();
		try {
			return hash.get();
		}
		finally {
			permits.release();
			long took = System.nanoTime() - started;
			typicalNanos.accumulateAndGet(took, (typical, sample) -> typical == 0 ? sample : typical + (sample - typical) / 8);
		}
	}

	/** For tests that need every permit taken. */
	Semaphore permits() {
		return permits;
	}

	Duration typicalHashTime() {
		return Duration.ofNanos(typicalNanos.get());
	}

}
