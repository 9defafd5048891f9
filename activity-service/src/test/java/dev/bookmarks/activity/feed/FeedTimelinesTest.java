package dev.bookmarks.activity.feed;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.follow.UserFollowed;
import dev.bookmarks.events.follow.UserUnfollowed;
import dev.bookmarks.events.image.ImageBookmarked;
import dev.bookmarks.events.image.ImageDeleted;
import dev.bookmarks.events.image.ImageLiked;
import dev.bookmarks.events.image.ImageUnliked;
import dev.bookmarks.platform.outbox.EventSerializer;
import dev.bookmarks.platform.outbox.EventSerializer.PreparedEvent;
import dev.bookmarks.platform.test.ServiceTestProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-reader timelines on real PostgreSQL and Kafka: once a reader's timeline is ready, every
 * page it answers must equal the fan-out-on-read page, through new actions, unlikes, deleted
 * images, follows and unfollows, paging across the horizon, upkeep and redelivered events. A small
 * cap (5) puts the horizon within reach.
 */
@SpringBootTest(properties = { "bookmarks.activity.feed.timelines.cap=5",
		"bookmarks.activity.feed.timelines.upkeep-interval=1h" })
class FeedTimelinesTest {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ServiceTestProperties.r2dbc(registry, "activity");
		ServiceTestProperties.kafka(registry);
		ServiceTestProperties.redis(registry);
		ServiceTestProperties.tokens(registry);
	}

	@Autowired
	FeedQueries queries;

	@Autowired
	FeedTimelines timelines;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	EventSerializer events;

	@Autowired
	DatabaseClient db;

	@Autowired
	MeterRegistry meters;

	@Test
	void aReadyTimelineShowsNewActionsAndLosesUndoneOnesFollowsFallBackAndRebuild() throws Exception {
		UUID reader = UUID.randomUUID();
		UUID ada = UUID.randomUUID();
		UUID grace = UUID.randomUUID();
		UUID bob = UUID.randomUUID();
		UUID[] images = { UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
				UUID.randomUUID() };
		Instant t = now();
		apply(new ImageBookmarked(images[4], bob, "bob", "Bob's", "bobs", null, t.plusSeconds(1)),
				new UserFollowed(reader, "reader", ada, "ada", t),
				new UserFollowed(reader, "reader", grace, "grace", t.plusSeconds(1)),
				new ImageBookmarked(images[0], ada, "ada", "One", "one", null, t.plusSeconds(2)),
				new ImageBookmarked(images[1], ada, "ada", "Two", "two", null, t.plusSeconds(3)),
				new ImageBookmarked(images[2], grace, "grace", "Three", "three", null, t.plusSeconds(4)),
				new ImageLiked(images[0], ada, grace, "grace", 1, t.plusSeconds(5)));
		awaitReady(reader);
		assertThat(entries(reader)).isEqualTo(4);

		// A new action of a followee: written into the timeline, and the timeline answers the page.
		apply(new ImageBookmarked(images[3], ada, "ada", "Four", "four", null, t.plusSeconds(6)));
		UUID fourth = actionOf(ada, images[3]);
		assertThat(count("SELECT count(*) FROM feed_entry WHERE reader_id = $1 AND action_id = $2", reader, fourth))
			.isEqualTo(1);
		assertAnswersFromTimeline(reader, 2);
		double fromTimeline = timelinePages();
		assertThat(ids(queries.feed(reader, null, 2).block())).startsWith(fourth);
		assertThat(timelinePages()).isEqualTo(fromTimeline + 1);

		// Unlike, deleted image, unfollow: gone from the pages, though their entries stay, and the
		// timeline stays ready.
		apply(new ImageUnliked(images[0], ada, grace, 0, t.plusSeconds(7)));
		apply(new ImageDeleted(images[1], ada, ada, t.plusSeconds(8)));
		apply(new UserUnfollowed(reader, grace, t.plusSeconds(9)));
		assertThat(titles(queries.feed(reader, null, 100).block())).containsExactly("Four", "One");
		assertAnswersFromTimeline(reader, 1);
		assertThat(titles(queries.feed(reader, null, 1).block())).containsExactly("Four", "One");
		assertThat(readyAt(reader)).isNotNull();

		// Following someone new: their past actions at once (the timeline is reset, reads fall back),
		// then the timeline is rebuilt with them.
		apply(new UserFollowed(reader, "reader", bob, "bob", t.plusSeconds(10)));
		assertThat(readyAt(reader)).isNull();
		// Upkeep empties a timeline that waits for its rebuild.
		timelines.upkeep().block(WAIT);
		assertThat(entries(reader)).isZero();
		assertThat(titles(queries.feed(reader, null, 100).block())).containsExactly("Four", "One", "Bob's");
		awaitReady(reader);
		assertAnswersFromTimeline(reader, 2);
		assertThat(titles(queries.feed(reader, null, 2).block())).containsExactly("Four", "One", "Bob's");

		// Unfollowing everyone: everyone's actions (fan-out on read), grace's among them.
		apply(new UserUnfollowed(reader, ada, t.plusSeconds(11)), new UserUnfollowed(reader, bob, t.plusSeconds(11)));
		assertThat(queries.timeline(reader, null, 100).block().answers(100)).isFalse();
		List<FeedQueries.Item> everyone = queries.feed(reader, null, 100).block();
		assertThat(ids(everyone)).contains(actionOf(grace, images[2]));
		assertThat(ids(everyone)).isEqualTo(ids(queries.fanOut(reader, null, 100).block()));
	}

	@Test
	void pagesAcrossTheHorizonEqualFanOutOnReadAndUpkeepTrimsAndExpires() throws Exception {
		UUID reader = UUID.randomUUID();
		UUID ada = UUID.randomUUID();
		Instant t = now();
		List<DomainEvent> before = new ArrayList<>();
		before.add(new UserFollowed(reader, "reader", ada, "ada", t));
		for (int i = 1; i <= 12; i++) {
			before.add(new ImageBookmarked(UUID.randomUUID(), ada, "ada", "Image " + i, "image-" + i, null,
					t.plusSeconds(i)));
		}
		apply(before.toArray(DomainEvent[]::new));
		awaitReady(reader);
		// The newest five (cap), the fifth's time as horizon.
		assertThat(entries(reader)).isEqualTo(5);
		assertThat(horizon(reader)).isEqualTo(t.plusSeconds(8));
		for (int i = 13; i <= 15; i++) {
			apply(new ImageBookmarked(UUID.randomUUID(), ada, "ada", "Image " + i, "image-" + i, null,
					t.plusSeconds(i)));
		}
		assertThat(entries(reader)).isEqualTo(8);

		assertAnswersFromTimeline(reader, 2);
		assertThat(pagesEqualFanOut(reader, 2)).isEqualTo(15);
		assertThat(pagesEqualFanOut(reader, 3)).isEqualTo(15);

		// Upkeep keeps the newest five and raises the horizon to the newest entry it deleted.
		timelines.upkeep().block(WAIT);
		assertThat(entries(reader)).isEqualTo(5);
		assertThat(horizon(reader)).isEqualTo(t.plusSeconds(10));
		assertThat(readyAt(reader)).isNotNull();
		assertThat(pagesEqualFanOut(reader, 2)).isEqualTo(15);

		// An idle reader loses the timeline; reading again brings it back.
		db.sql("UPDATE feed_reader SET last_read_at = now() - interval '25 hours' WHERE reader_id = $1")
			.bind(0, reader)
			.then()
			.block(WAIT);
		timelines.upkeep().block(WAIT);
		assertThat(count("SELECT count(*) FROM feed_reader WHERE reader_id = $1", reader)).isZero();
		assertThat(entries(reader)).isZero();
		awaitReady(reader);
		assertThat(entries(reader)).isEqualTo(5);
	}

	@Test
	void aRedeliveredEventAddsNoSecondEntry() throws Exception {
		UUID reader = UUID.randomUUID();
		UUID ada = UUID.randomUUID();
		UUID image = UUID.randomUUID();
		Instant t = now();
		apply(new UserFollowed(reader, "reader", ada, "ada", t),
				new ImageBookmarked(UUID.randomUUID(), ada, "ada", "Earlier", "earlier", null, t.plusSeconds(1)));
		awaitReady(reader);

		PreparedEvent liked = events.prepare(new ImageLiked(image, UUID.randomUUID(), ada, "ada", 1, t.plusSeconds(2)));
		// The same like under another event id (a producer that sent it twice).
		PreparedEvent likedAgain = events
			.prepare(new ImageLiked(image, UUID.randomUUID(), ada, "ada", 1, t.plusSeconds(2)));
		send(liked);
		send(liked);
		send(likedAgain);
		await().atMost(WAIT).until(() -> processed(liked) && processed(likedAgain));
		send(liked);
		PreparedEvent marker = events.prepare(new ImageLiked(UUID.randomUUID(), UUID.randomUUID(), ada, "ada", 1,
				t.plusSeconds(3)));
		send(marker);
		await().atMost(WAIT).until(() -> processed(marker));

		assertThat(entries(reader)).isEqualTo(3);
		assertThat(count("SELECT count(*) FROM feed_entry e JOIN action a ON a.id = e.action_id"
				+ " WHERE e.reader_id = $1 AND a.target_id = $2", reader, image)).isEqualTo(1);
	}

	// ------------------------------------------------------------------------------------------

	/** Event times a little in the past, in milliseconds as producers make them. */
	private static Instant now() {
		return Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MILLIS);
	}

	/** Reads the feed (which activates the timeline) until the timeline is ready. */
	private void awaitReady(UUID reader) {
		await().atMost(WAIT).until(() -> {
			queries.feed(reader, null, 20).block(WAIT);
			return readyAt(reader) != null;
		});
	}

	/** The first page of this size comes from the timeline and equals the fan-out-on-read one. */
	private void assertAnswersFromTimeline(UUID reader, int limit) {
		FeedQueries.TimelinePage page = queries.timeline(reader, null, limit).block(WAIT);
		assertThat(page.answers(limit)).as("the timeline answers a page of %d", limit).isTrue();
		assertThat(ids(page.items())).isEqualTo(ids(queries.fanOut(reader, null, limit).block(WAIT)));
	}

	/**
	 * Pages through the feed, comparing each page (and its cursor) with the fan-out-on-read one;
	 * returns how many actions there were. At least one page must come from the timeline and one
	 * must not (the horizon was crossed).
	 */
	private int pagesEqualFanOut(UUID reader, int limit) {
		Positions.Before cursor = null;
		int total = 0;
		boolean fromTimeline = false;
		boolean fellBack = false;
		while (true) {
			List<FeedQueries.Item> page = queries.feed(reader, cursor, limit).block(WAIT);
			assertThat(ids(page)).isEqualTo(ids(queries.fanOut(reader, cursor, limit).block(WAIT)));
			boolean answered = queries.timeline(reader, cursor, limit).block(WAIT).answers(limit);
			fromTimeline |= answered;
			fellBack |= !answered;
			total += Math.min(page.size(), limit);
			if (page.size() <= limit) {
				break;
			}
			cursor = page.get(limit - 1).before();
		}
		assertThat(fromTimeline).as("a page from the timeline").isTrue();
		assertThat(fellBack).as("a page beyond the horizon").isTrue();
		return total;
	}

	private double timelinePages() {
		return meters.get("bookmarks.feed.pages").tag("source", "timeline").counter().count();
	}

	private void apply(DomainEvent... domainEvents) throws Exception {
		List<PreparedEvent> sent = new ArrayList<>();
		for (DomainEvent event : domainEvents) {
			PreparedEvent prepared = events.prepare(event);
			send(prepared);
			sent.add(prepared);
		}
		await().atMost(WAIT).until(() -> sent.stream().allMatch(this::processed));
	}

	private void send(PreparedEvent event) throws Exception {
		kafka.send(event.topic(), event.envelope().aggregateId(), event.json()).get(10, TimeUnit.SECONDS);
	}

	private boolean processed(PreparedEvent event) {
		return count("SELECT count(*) FROM processed_event WHERE consumer = 'actions' AND event_id = $1",
				event.envelope().eventId()) == 1;
	}

	private UUID actionOf(UUID actor, UUID target) {
		return db.sql("SELECT id FROM action WHERE actor_id = $1 AND target_id = $2")
			.bind(0, actor)
			.bind(1, target)
			.map(row -> row.get(0, UUID.class))
			.one()
			.block(WAIT);
	}

	private OffsetDateTime readyAt(UUID reader) {
		return db.sql("SELECT ready_at FROM feed_reader WHERE reader_id = $1")
			.bind(0, reader)
			.map(row -> java.util.Optional.ofNullable(row.get(0, OffsetDateTime.class)))
			.one()
			.defaultIfEmpty(java.util.Optional.empty())
			.block(WAIT)
			.orElse(null);
	}

	private Instant horizon(UUID reader) {
		return db.sql("SELECT horizon FROM feed_reader WHERE reader_id = $1")
			.bind(0, reader)
			.map(row -> row.get(0, OffsetDateTime.class).toInstant())
			.one()
			.block(WAIT);
	}

	private long entries(UUID reader) {
		return count("SELECT count(*) FROM feed_entry WHERE reader_id = $1", reader);
	}

	private long count(String sql, UUID... parameters) {
		DatabaseClient.GenericExecuteSpec spec = db.sql(sql);
		for (int i = 0; i < parameters.length; i++) {
			spec = spec.bind(i, parameters[i]);
		}
		return spec.map(row -> row.get(0, Long.class)).one().block(WAIT);
	}

	private static List<UUID> ids(List<FeedQueries.Item> items) {
		return items.stream().map(item -> item.view().id()).toList();
	}

	private static List<String> titles(List<FeedQueries.Item> items) {
		return items.stream()
			.map(item -> ((ActionView.ImageTarget) item.view().target()).title())
			.toList();
	}

}
