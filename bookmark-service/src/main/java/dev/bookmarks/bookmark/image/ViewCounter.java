package dev.bookmarks.bookmark.image;

import java.time.Clock;
import java.util.UUID;

import dev.bookmarks.events.image.ImageViewed;
import dev.bookmarks.platform.outbox.EventSerializer;
import dev.bookmarks.platform.outbox.EventSerializer.PreparedEvent;
import dev.bookmarks.platform.tracing.EventTracing;
import dev.bookmarks.platform.tracing.ReactorObservations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes one ImageViewed per detail read, straight to the views topic: never written to
 * PostgreSQL and never waited for, so a slow broker cannot slow the page. A view lost while the
 * broker is away is an accepted loss for a counter (lifecycle events go through the outbox).
 */
@Component
public class ViewCounter {

	private static final Log log = LogFactory.getLog(ViewCounter.class);

	private final KafkaTemplate<String, String> kafka;

	private final EventSerializer events;

	private final Clock clock;

	private final EventTracing tracing;

	ViewCounter(KafkaTemplate<String, String> kafka, EventSerializer events, Clock clock, EventTracing tracing) {
		this.kafka = kafka;
		this.events = events;
		this.clock = clock;
		this.tracing = tracing;
	}

	/**
	 * Counts a view of the request whose Reactor context is given: the record carries that
	 * request's trace.
	 */
	public void viewed(UUID imageId, UUID viewerId, ContextView request) {
		PreparedEvent event = events.prepare(new ImageViewed(imageId, viewerId, clock.instant()));
		// send() can block on metadata: off the event loop, and nobody waits for it.
		Mono.fromFuture(() -> tracing.inSpanOf(ReactorObservations.of(request),
				() -> kafka.send(event.topic(), event.envelope().aggregateId(), event.json())))
			.subscribeOn(Schedulers.boundedElastic())
			.subscribe(sent -> {
			}, error -> log.debug("View of " + imageId + " not counted: " + error));
	}

}
