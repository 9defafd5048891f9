package dev.bookmarks.activity.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/** The feed's counters, in the application's registry (or a private one where there is none, as in slices). */
final class FeedMeters {

	private final MeterRegistry meters;

	FeedMeters(ObjectProvider<MeterRegistry> registry) {
		this.meters = registry.getIfAvailable(SimpleMeterRegistry::new);
	}

	/** One counter of a family whose members differ by one tag. */
	Counter counter(String name, String description, String tag, String value) {
		return Counter.builder(name).description(description).tag(tag, value).register(meters);
	}

}
