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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Activity", description = "The feed of actions (registered, bookmarked, liked, followed), paged or live.")
class FeedController {

	static final String FEED_EXAMPLE = """
			{"items": [{"id": "7f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8",
			  "actor": {"id": "5d2c1b0a-9e8f-4d7c-8b6a-1f2e3d4c5b6a", "username": "ada", "photoUrl": null},
			  "verb": "bookmarked", "target": {"type": "image", "id": "0b6f7c1e-3a55-4a4e-9a4b-6f1d2a3b4c5d",
			  "title": "Sunset", "thumbnailUrl": "https://bookmarks.example/media/images/2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae.jpg"},
			  "createdAt": "2026-05-01T12:00:00Z"}],
			 "nextCursor": "MjAyNi0wNS0wMVQxMjowMDowMFo"}""";

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
	@Operation(summary = "The caller's feed", description = "Actions of the people the caller follows, newest "
			+ "first; following nobody, everyone's recent actions; never the caller's own.")
	@ApiResponse(responseCode = "200", description = "A page of actions.",
			content = @Content(mediaType = "application/json",
					// The schema springdoc names for CursorPage<ActionView> (a generic type cannot be an implementation).
					schema = @Schema(ref = "#/components/schemas/CursorPageActionView"),
					examples = @ExampleObject(name = "a page", value = FEED_EXAMPLE)))
	@ApiResponse(responseCode = "503", description = "Too many feed queries on this instance; `Retry-After: 1`.")
	Mono<CursorPage<ActionView>> feed(@AuthenticationPrincipal Jwt jwt,
			@Parameter(description = "Page size, 1 to 100 (20).") @RequestParam(required = false) String limit,
			@Parameter(description = "`nextCursor` of the page before (opaque).") @RequestParam(required = false) String cursor) {
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
	@Operation(summary = "One person's actions", description = "Newest first, cursor-paged.")
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
	@Operation(summary = "The caller's feed, live (Server-Sent Events)", description = "Each new action as "
			+ "`event: action` with an opaque `id:` and the action JSON as `data:`; a comment every 10 s keeps the "
			+ "connection open. Reconnecting with `Last-Event-ID` first sends what was missed.")
	@ApiResponse(responseCode = "200", description = "The stream: `event: action`, `id: <position>`, "
			+ "`data: <the action as in the feed>`.", content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					schema = @Schema(type = "string"), examples = @ExampleObject(name = "an action", value = """
							event: action
							id: MjAyNi0wNS0wMVQxMjowMDowMFo
							data: {"id": "7f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8", "verb": "followed", ...}
							""")))
	@ApiResponse(responseCode = "429", description = "A sixth stream of one person; `Retry-After: 10`.")
	@ApiResponse(responseCode = "503", description = "Too many open streams on this instance; `Retry-After: 5`.")
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
