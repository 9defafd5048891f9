package dev.bookmarks.activity.feed;

import java.util.List;
import java.util.UUID;

import dev.bookmarks.platform.web.CursorPage;
import dev.bookmarks.platform.web.InvalidRequestException;
import dev.bookmarks.platform.web.Problems;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The activity API of API.md: the caller's feed, live or paged, and one person's actions. */
@RestController
@EnableConfigurationProperties({ FeedProperties.class, FeedProperties.Stream.class })
class FeedController {

	private final FeedQueries queries;

	private final FeedStreams streams;

	/** The paged feed's read, from request to rows; the stream's reads are not in it. */
	private final Timer feedReads;

	FeedController(FeedQueries queries, FeedStreams streams, ObjectProvider<MeterRegistry> registry) {
		this.queries = queries;
		this.streams = streams;
		MeterRegistry meters = registry.getIfAvailable(SimpleMeterRegistry::new);
		this.feedReads = Timer.builder("bookmarks.feed.read")
			.description("Time to read one page of a person's feed (GET /api/feed)")
			.publishPercentileHistogram()
			.register(meters);
		Gauge.builder("bookmarks.feed.stream.connections", streams, FeedStreams::openConnections)
			.description("Live feeds (Server-Sent Events streams) open on this instance")
			.register(meters);
	}

	@GetMapping("/api/feed")
	Mono<CursorPage<ActionView>> feed(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) String limit,
			@RequestParam(required = false) String cursor) {
		return Mono.defer(() -> {
			int size = Positions.limit(limit);
			Positions.Before before = Positions.cursor(cursor);
			Timer.Sample read = Timer.start();
			return queries.feed(caller(jwt), before, size)
				.doOnSuccess(rows -> read.stop(feedReads))
				.map(rows -> page(rows, size));
		});
	}

	@GetMapping("/api/users/{username}/actions")
	Mono<CursorPage<ActionView>> actions(@PathVariable String username, @RequestParam(required = false) String limit,
			@RequestParam(required = false) String cursor) {
		return Mono.defer(() -> {
			int size = Positions.limit(limit);
			Positions.Before before = Positions.cursor(cursor);
			return queries.actorNamed(username)
				.switchIfEmpty(Mono.error(Refused::noSuchUser))
				.flatMap(actor -> queries.byActor(actor, before, size))
				.map(rows -> page(rows, size));
		});
	}

	/**
	 * New actions of the caller's feed as they happen. Each event's id is its stream position: a
	 * client that reconnects with {@code Last-Event-ID} first gets what it missed.
	 */
	@GetMapping(path = "/api/feed/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Object>> stream(@AuthenticationPrincipal Jwt jwt,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
		Positions.After resumeFrom = lastEventId == null || lastEventId.isBlank() ? null
				: Positions.lastEventId(lastEventId);
		return streams.open(caller(jwt), resumeFrom);
	}

	/**
	 * Problems with an explicit content type: for the stream, whose request accepts only
	 * text/event-stream, the problem would otherwise be written as an event.
	 */
	@ExceptionHandler(InvalidRequestException.class)
	ResponseEntity<ProblemDetail> invalid(InvalidRequestException ex) {
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(Problems.invalid(ex.errors()));
	}

	@ExceptionHandler(Refused.class)
	ResponseEntity<ProblemDetail> refused(Refused ex) {
		return ResponseEntity.status(ex.getStatusCode())
			.headers(ex.getHeaders())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ex.getBody());
	}

	private static UUID caller(Jwt jwt) {
		return UUID.fromString(jwt.getSubject());
	}

	private static CursorPage<ActionView> page(List<FeedQueries.Item> rows, int size) {
		if (rows.size() <= size) {
			return new CursorPage<>(rows.stream().map(FeedQueries.Item::view).toList(), null);
		}
		List<FeedQueries.Item> items = rows.subList(0, size);
		return new CursorPage<>(items.stream().map(FeedQueries.Item::view).toList(),
				items.get(size - 1).before().cursor());
	}

}
