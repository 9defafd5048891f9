package dev.bookmarks.bookmark.image;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.bookmarks.bookmark.capacity.Budget;
import dev.bookmarks.bookmark.capacity.OverloadedException;
import dev.bookmarks.bookmark.fetch.FetchRefusedException;
import dev.bookmarks.bookmark.fetch.FetchRefusedException.Reason;
import dev.bookmarks.bookmark.picture.InvalidImageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What saving pictures costs and refuses: refusals by reason, refusals by the bound that was full,
 * how full the memory budgets are, and how long a downloaded picture waits for a decoding worker.
 * Every series exists from start-up, at zero, so that an alert on "any refusal" has something to
 * compare with before the first one.
 */
class ImageMetrics {

	/** The bounds a save can find full: the decode memory, the download memory, the workers' queue. */
	static final String PICTURES = "pictures";

	static final String DOWNLOADS = "downloads";

	static final String QUEUE = "queue";

	private final MeterRegistry registry;

	private final Map<Reason, Counter> refused = new EnumMap<>(Reason.class);

	private final Map<String, Counter> overloaded = new ConcurrentHashMap<>();

	private final Timer decodeWait;

	ImageMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (Reason reason : Reason.values()) {
			refused.put(reason, Counter.builder("bookmarks.images.fetch.refused")
				.description("Saves refused (400) because the URL or what it served was not acceptable, by reason")
				.tag("reason", reason.tag())
				.register(registry));
		}
		for (String bound : List.of(PICTURES, DOWNLOADS, QUEUE)) {
			overloaded(bound);
		}
		this.decodeWait = Timer.builder("bookmarks.images.decode.wait")
			.description("Time a downloaded picture waited for a decoding worker")
			.publishPercentileHistogram()
			.register(registry);
	}

	/** Reports how much of this budget is taken. */
	Budget watch(Budget budget) {
		Gauge.builder("bookmarks.images.budget.used", budget, b -> b.capacity() - b.available())
			.description("Bytes of a memory budget held by saves in progress")
			.tag("budget", budget.name())
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("bookmarks.images.budget.capacity", budget, Budget::capacity)
			.description("Bytes of a memory budget in all")
			.tag("budget", budget.name())
			.baseUnit("bytes")
			.register(registry);
		return budget;
	}

	/** Counts a failed save if it was a refusal of ours (anything else is counted by the request metrics). */
	void failed(Throwable error) {
		if (error instanceof FetchRefusedException refusal) {
			refused.get(refusal.reason()).increment();
		}
		else if (error instanceof InvalidImageException invalid) {
			refused.get(invalid.reason()).increment();
		}
		else if (error instanceof OverloadedException full) {
			overloaded(full.bound()).increment();
		}
	}

	void waitedForDecoding(long nanos) {
		decodeWait.record(nanos, TimeUnit.NANOSECONDS);
	}

	private Counter overloaded(String bound) {
		return overloaded.computeIfAbsent(bound, name -> Counter.builder("bookmarks.images.overloaded")
			.description("Saves refused (503) because a bound on concurrent work was full, by bound")
			.tag("budget", name)
			.register(registry));
	}

}
