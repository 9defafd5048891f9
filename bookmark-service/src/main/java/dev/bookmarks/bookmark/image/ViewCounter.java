package dev.bookmarks.bookmark.image;

import java.time.Clock;
import java.time.Instant;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bookmarks.events.image.ImageViewed;
import dev.bookmarks.platform.outbox.EventSerializer;
import dev.bookmarks.platform.outbox.EventSerializer.PreparedEvent;
import dev.bookmarks.platform.tracing.EventTracing;
import dev.bookmarks.platform.tracing.ReactorObservations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes one ImageViewed per detail read, straight to the views topic: never written to PostgreSQL and never
 * waited for, so a slow broker cannot slow the page. A view lost while the broker is away is an accepted loss for a
 * counter (lifecycle events go through the outbox).
 *
 * <p>{@code KafkaProducer.send} can block (for the topic's metadata, or while its buffer is full, up to
 * {@code max.block.ms}), so it never runs on the event loop. Views are queued and sent by one drain at a time, which
 * starts {@value #LINGER_MILLIS} ms after the first view of a quiet queue: one thread wake-up per batch of views
 * instead of one per read, and while the broker is away one blocked thread at most instead of one per read (the
 * shared bounded-elastic pool also reads pictures). At most {@value #MAX_PENDING} views wait; beyond that they are
 * dropped and counted ({@code bookmarks.images.views.dropped}).
 */
@Component
public class ViewCounter {

	static final int MAX_PENDING = 10_000;

	static final long LINGER_MILLIS = 5;

	private static final Log log = LogFactory.getLog(ViewCounter.class);

	private final KafkaTemplate<String, String> kafka;

	private final EventSerializer events;

	private final Clock clock;

	private final EventTracing tracing;

	private final Scheduler scheduler;

	private final Counter dropped;

	private final Queue<View> pending = new ConcurrentLinkedQueue<>();

	private final AtomicInteger size = new AtomicInteger();

	/** Whether a drain is scheduled or running: at most one is. */
	private final AtomicBoolean draining = new AtomicBoolean();

	@Autowired
	ViewCounter(KafkaTemplate<String, String> kafka, EventSerializer events, Clock clock, EventTracing tracing,
			MeterRegistry registry) {
		this(kafka, events, clock, tracing, registry, Schedulers.boundedElastic());
	}

	ViewCounter(KafkaTemplate<String, String> kafka, EventSerializer events, Clock clock, EventTracing tracing,
			MeterRegistry registry, Scheduler scheduler) {
		this.kafka = kafka;
		this.events = events;
		this.clock = clock;
		this.tracing = tracing;
		this.scheduler = scheduler;
		this.dropped = Counter.builder("bookmarks.images.views.dropped")
			.description("Image views not published because too many were waiting for the broker")
			.register(registry);
	}

	/**
	 * Counts a view of the request whose Reactor context is given: the record carries that request's trace.
	 */
	public void viewed(UUID imageId, UUID viewerId, ContextView request) {
		if (size.incrementAndGet() > MAX_PENDING) {
			size.decrementAndGet();
			dropped.increment();
			return;
		}
		pending.offer(new View(imageId, viewerId, clock.instant(), ReactorObservations.of(request)));
		if (draining.compareAndSet(false, true)) {
			schedule();
		}
	}

	private void schedule() {
		try {
			scheduler.schedule(this::drain, LINGER_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException rejected) {
			// The scheduler is shut down (the application is stopping) or full: the views wait for the next one.
			draining.set(false);
			log.debug("Views not sent now: " + rejected);
		}
	}

	private void drain() {
		View view;
		while ((view = pending.poll()) != null) {
			size.decrementAndGet();
			send(view);
		}
		draining.set(false);
		// A view queued after the last poll but before the flag was cleared found a drain running: start its own.
		if (!pending.isEmpty() && draining.compareAndSet(false, true)) {
			schedule();
		}
	}

	private void send(View view) {
		try {
			PreparedEvent event = events.prepare(new ImageViewed(view.imageId(), view.viewerId(), view.at()));
			tracing.inSpanOf(view.request(),
					() -> kafka.send(event.topic(), event.envelope().aggregateId(), event.json()))
				.whenComplete((sent, error) -> {
					if (error != null) {
						log.debug("View of " + view.imageId() + " not counted: " + error);
					}
				});
		}
		catch (RuntimeException error) {
			log.debug("View of " + view.imageId() + " not counted: " + error);
		}
	}

	private record View(UUID imageId, UUID viewerId, Instant at, Observation request) {
	}

}
