package dev.bookmarks.ranking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.image.ImageBookmarked;
import dev.bookmarks.events.image.ImageDeleted;
import dev.bookmarks.events.image.ImageLiked;
import dev.bookmarks.events.image.ImageUnliked;
import dev.bookmarks.events.image.ImageUpdated;
import dev.bookmarks.events.image.ImageViewed;
import dev.bookmarks.platform.test.DeadLetters;
import dev.bookmarks.platform.test.ServiceTestProperties;
import dev.bookmarks.platform.test.TestTokenIssuer;
import dev.bookmarks.ranking.store.Generations;
import dev.bookmarks.ranking.store.ImageStats;
import dev.bookmarks.ranking.store.RankedImage;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The rankings on real Redis and Kafka, fed by events on the real topics: counts, UTC-day
 * windows, likes from exact counts, redelivered events, deletion, the rebuild from Kafka, and the
 * API's 400/403/404 answers. BlockHound fails any request that blocks an event-loop thread.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RankingApiTest.TestClock.class)
class RankingApiTest {

	static {
		BlockHound.install();
	}

	/** Keys and consumer groups of this test class only: other classes share the Redis and the topics. */
	static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	static final String PREFIX = "{rk-" + RUN + "}";

	static final String GROUPS = "ranking-test-" + RUN;

	/** A Monday noon (UTC): the week is Tuesday a week ago to today. */
	static final Instant NOON = Instant.parse("2026-11-30T12:00:00Z");

	private static final RankingEvents events = new RankingEvents();

	private static final TestTokenIssuer tokens = TestTokenIssuer.shared();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ServiceTestProperties.redis(registry);
		ServiceTestProperties.kafka(registry);
		ServiceTestProperties.tokens(registry);
		registry.add("bookmarks.rankings.key-prefix", () -> PREFIX);
		registry.add("bookmarks.rankings.consumer-group-prefix", () -> GROUPS);
		// the week's union uncached, so that each read sees the events just consumed
		registry.add("bookmarks.rankings.window-cache-ttl", () -> "0s");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class TestClock {

		@Bean
		@Primary
		MutableClock testClock() {
			return new MutableClock(NOON);
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	ReactiveStringRedisTemplate redis;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	WebTestClient client;

	String token;

	@BeforeEach
	void client() {
		client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
		token = tokens.token(UUID.randomUUID(), "reader");
		clock.set(NOON);
	}

	@AfterAll
	static void closeEvents() {
		events.close();
	}

	@Test
	void viewsAreCountedPerImageAndRankedAllTimeTodayAndThisWeek() {
		UUID busy = bookmark("Busy harbour");
		UUID quiet = bookmark("Quiet lane");
		UUID old = bookmark("Old mill");
		List<EventEnvelope> views = new ArrayList<>();
		views.addAll(views(busy, 5, NOON));
		views.addAll(views(quiet, 3, NOON));
		views.addAll(views(quiet, 4, NOON.minus(Duration.ofDays(2))));
		views.addAll(views(old, 20, NOON.minus(Duration.ofDays(10))));
		events.send(Topics.IMAGE_VIEWS, views);
		events.awaitConsumed(GROUPS);

		assertThat(stats(busy)).isEqualTo(new ImageStats(busy, 5, 0, 5, 5));
		assertThat(stats(quiet)).isEqualTo(new ImageStats(quiet, 7, 0, 3, 3));
		assertThat(stats(old)).isEqualTo(new ImageStats(old, 20, 0, 0, 0));

		assertThat(ours(ranking("views", "all", 100), busy, quiet, old)).extracting(RankedImage::imageId, RankedImage::score)
			.containsExactly(tuple(old, 20L), tuple(quiet, 7L),
					tuple(busy, 5L));
		assertThat(ours(ranking("views", "day", 100), busy, quiet, old)).extracting(RankedImage::imageId, RankedImage::score)
			.containsExactly(tuple(busy, 5L), tuple(quiet, 3L));
		assertThat(ours(ranking("views", "week", 100), busy, quiet, old)).extracting(RankedImage::imageId, RankedImage::score)
			.containsExactly(tuple(quiet, 7L), tuple(busy, 5L));

		RankedImage first = ours(ranking("views", "all", 100), busy, quiet, old).get(0);
		assertThat(first.title()).isEqualTo("Old mill");
		assertThat(first.thumbnailUrl()).isEqualTo("/media/images/" + old + "/thumbnail");
	}

	@Test
	void daysAreUtcDaysOfTheViewAndTheWindowsMoveWithTheClock() {
		UUID image = bookmark("Midnight");
		Instant lastSecondOfSunday = Instant.parse("2026-11-29T23:59:59Z");
		Instant mondayMidnight = Instant.parse("2026-11-30T00:00:00Z");
		List<EventEnvelope> views = new ArrayList<>(views(image, 2, lastSecondOfSunday));
		views.addAll(views(image, 1, mondayMidnight));
		events.send(Topics.IMAGE_VIEWS, views);
		events.awaitConsumed(GROUPS);

		clock.set(mondayMidnight.plusSeconds(1));
		assertThat(stats(image).viewsToday()).isEqualTo(1);
		assertThat(score(ranking("views", "day", 100), image)).isEqualTo(1);
		assertThat(score(ranking("views", "week", 100), image)).isEqualTo(3);

		clock.set(lastSecondOfSunday);
		assertThat(stats(image).viewsToday()).isEqualTo(2);
		assertThat(score(ranking("views", "day", 100), image)).isEqualTo(2);

		// Next Saturday the week still holds Sunday; next Sunday it does not any more.
		clock.set(Instant.parse("2026-12-05T23:59:59Z"));
		assertThat(score(ranking("views", "week", 100), image)).isEqualTo(3);
		assertThat(stats(image).viewsToday()).isZero();
		clock.set(Instant.parse("2026-12-06T00:00:00Z"));
		assertThat(score(ranking("views", "week", 100), image)).isEqualTo(1);
		assertThat(score(ranking("views", "day", 100), image)).isNull();
		assertThat(stats(image).views()).isEqualTo(3);
	}

	@Test
	void likesFollowTheExactCountOfTheLatestEventAndNeverGoBelowZero() {
		UUID loved = bookmark("Loved");
		UUID shrugged = bookmark("Shrugged");
		UUID owner = UUID.randomUUID();
		Instant t = NOON.minusSeconds(60);
		events.send(Topics.IMAGE_EVENTS, List.of(
				liked(loved, owner, 1, t), liked(loved, owner, 2, t.plusSeconds(1)), liked(loved, owner, 3, t.plusSeconds(2)),
				// an older count delivered late changes nothing
				liked(loved, owner, 1, t.minusSeconds(30)),
				liked(shrugged, owner, 1, t), unliked(shrugged, owner, 0, t.plusSeconds(1)),
				// a count below zero (never sent, but not trusted either) is zero
				unliked(shrugged, owner, -4, t.plusSeconds(2))));
		events.awaitConsumed(GROUPS);

		assertThat(stats(loved).likes()).isEqualTo(3);
		assertThat(stats(shrugged).likes()).isZero();
		List<RankedImage> byLikes = ours(ranking("likes", "all", 100), loved, shrugged);
		assertThat(byLikes).extracting(RankedImage::imageId, RankedImage::score)
			.containsExactly(tuple(loved, 3L));
		assertThat(byLikes.get(0).title()).isEqualTo("Loved");
		assertThat(score(ranking("likes", "day", 100), loved)).isEqualTo(3);
		assertThat(score(ranking("likes", "week", 100), loved)).isEqualTo(3);
	}

	@Test
	void anImageEventThatCannotBeReadIsDeadLetteredAloneAndTheRestOfItsPollApplies() {
		UUID image = bookmark("Survivor");
		UUID owner = UUID.randomUUID();
		String key = image.toString();
		String poison = "{\"eventId\": \"" + UUID.randomUUID() + "\", \"type\": \"ImageLiked\", \"version\": 1,"
				+ " \"payload\": {\"imageId\": \"not a uuid\"}}";
		events.sendRaw(Topics.IMAGE_EVENTS, key, List.of(events.json(liked(image, owner, 1, NOON)), poison,
				events.json(liked(image, owner, 2, NOON.plusSeconds(1))),
				events.json(events.envelope(new ImageUpdated(image, owner, "Survivor renamed", "survivor", null, NOON), NOON))));
		events.awaitConsumed(GROUPS);

		assertThat(stats(image).likes()).isEqualTo(2);
		assertThat(ours(ranking("likes", "all", 100), image).get(0).title()).isEqualTo("Survivor renamed");
		assertThat(DeadLetters.of(Topics.IMAGE_EVENTS, key, Duration.ofSeconds(30))).containsExactly(poison);
	}

	@Test
	void everyEventDeliveredTwiceCountsOnce() {
		UUID image = bookmark("Twice");
		UUID owner = UUID.randomUUID();
		List<EventEnvelope> once = new ArrayList<>(views(image, 10, NOON));
		List<EventEnvelope> lifecycle = List.of(liked(image, owner, 1, NOON), liked(image, owner, 2, NOON.plusSeconds(1)),
				unliked(image, owner, 1, NOON.plusSeconds(2)),
				events.envelope(new ImageUpdated(image, owner, "Twice renamed", "twice", null, NOON), NOON));
		List<RecordMetadata> viewed = events.send(Topics.IMAGE_VIEWS, once);
		// Image events: the same envelopes (same event ids) again, as a re-sent outbox row brings them.
		events.send(Topics.IMAGE_EVENTS, lifecycle);
		events.send(Topics.IMAGE_EVENTS, lifecycle);
		events.awaitConsumed(GROUPS);
		assertThat(stats(image)).isEqualTo(new ImageStats(image, 10, 1, 10, 10));

		// Views never go through the outbox: Kafka delivers the same records again (their group rewound, as
		// after a crash before the offset commit), with the views of other tests in that partition.
		redeliverViewsFrom(viewed.get(0));

		assertThat(stats(image)).isEqualTo(new ImageStats(image, 10, 1, 10, 10));
		assertThat(score(ranking("likes", "day", 100), image)).isEqualTo(1);
		assertThat(ours(ranking("views", "all", 100), image).get(0).title()).isEqualTo("Twice renamed");
	}

	@Test
	void aDeletedImageLeavesEveryRankingAndALateViewDoesNotBringItBack() {
		UUID image = bookmark("Short-lived");
		UUID owner = UUID.randomUUID();
		events.send(Topics.IMAGE_VIEWS, views(image, 4, NOON));
		events.send(Topics.IMAGE_VIEWS, views(image, 2, NOON.minus(Duration.ofDays(1))));
		events.send(Topics.IMAGE_EVENTS, List.of(liked(image, owner, 2, NOON)));
		events.awaitConsumed(GROUPS);
		assertThat(score(ranking("views", "week", 100), image)).isEqualTo(6);
		assertThat(stats(image).likes()).isEqualTo(2);

		events.send(Topics.IMAGE_EVENTS, List.of(
				events.envelope(new ImageDeleted(image, owner, owner, NOON.plusSeconds(5)), NOON.plusSeconds(5))));
		events.awaitConsumed(GROUPS);
		// late arrivals: a view, a like and a rename of the deleted image
		events.send(Topics.IMAGE_VIEWS, views(image, 3, NOON.plusSeconds(1)));
		events.send(Topics.IMAGE_EVENTS, List.of(liked(image, owner, 3, NOON.plusSeconds(6)),
				events.envelope(new ImageUpdated(image, owner, "Back?", "back", null, NOON.plusSeconds(6)), NOON.plusSeconds(6))));
		events.awaitConsumed(GROUPS);

		for (String by : List.of("views", "likes")) {
			for (String window : List.of("all", "day", "week")) {
				assertThat(score(ranking(by, window, 100), image)).as(by + " " + window).isNull();
			}
		}
		notFound(image);
	}

	@Test
	void badParametersAreA400ProblemNamingEachOne() {
		client.get()
			.uri("/api/rankings/images?by=comments&window=month&limit=0")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.errors.length()").isEqualTo(3)
			.jsonPath("$.errors[0].field").isEqualTo("by")
			.jsonPath("$.errors[1].field").isEqualTo("window")
			.jsonPath("$.errors[2].field").isEqualTo("limit");
		for (String limit : List.of("101", "-1", "ten", "", "1.5")) {
			client.get()
				.uri("/api/rankings/images?limit=" + limit)
				.headers(h -> h.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.errors[0].field").isEqualTo("limit")
				.jsonPath("$.errors[0].message").isEqualTo("must be a whole number between 1 and 100");
		}
		client.get()
			.uri("/api/rankings/images/not-a-uuid")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("id");
	}

	@Test
	void theDefaultsAreViewsOfAllTimeTenAtMostAndTheLimitIsObeyed() {
		List<UUID> images = new ArrayList<>();
		List<EventEnvelope> views = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			UUID image = UUID.randomUUID();
			images.add(image);
			views.addAll(views(image, 100 + i, NOON));
		}
		events.send(Topics.IMAGE_VIEWS, views);
		events.awaitConsumed(GROUPS);
		List<RankedImage> top = get("/api/rankings/images");
		assertThat(top).hasSize(10);
		assertThat(top).extracting(RankedImage::rank).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
		assertThat(top.get(0).imageId()).isEqualTo(images.get(11));
		assertThat(top.get(0).score()).isEqualTo(111);
		assertThat(top.get(0).title()).isNull();
		assertThat(get("/api/rankings/images?limit=3")).hasSize(3);
	}

	@Test
	void anImageNeverSeenIsA404Problem() {
		notFound(UUID.randomUUID());
	}

	@Test
	void withoutATokenTheRankingsAreA401Problem() {
		for (String path : List.of("/api/rankings/images", "/api/rankings/images/" + UUID.randomUUID())) {
			client.get().uri(path).exchange().expectStatus().isUnauthorized().expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void onlyAnAdminMayRebuild() {
		client.post().uri("/api/rankings/rebuild").headers(h -> h.setBearerAuth(token)).exchange()
			.expectStatus().isForbidden()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		client.get().uri("/api/rankings/rebuild").headers(h -> h.setBearerAuth(token)).exchange()
			.expectStatus().isForbidden();
		client.post().uri("/api/rankings/rebuild").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void aSecondRebuildWhileOneRunsIsA409Problem() {
		// A rebuild holds the lease (as one running on another instance would).
		redis.opsForValue().set(PREFIX + ":building", "999", Duration.ofMinutes(1)).block(Duration.ofSeconds(10));
		try {
			String admin = tokens.token(UUID.randomUUID(), "root", "USER", "ADMIN");
			client.post().uri("/api/rankings/rebuild").headers(h -> h.setBearerAuth(admin)).exchange()
				.expectStatus().isEqualTo(409)
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		finally {
			redis.delete(PREFIX + ":building").block(Duration.ofSeconds(10));
		}
	}

	@Test
	void afterRedisLostTheRankingsTheRebuildRecoversThemFromKafka() {
		UUID top = bookmark("Recovered top");
		UUID second = bookmark("Recovered second");
		UUID gone = bookmark("Recovered gone");
		UUID owner = UUID.randomUUID();
		List<RecordMetadata> topViews = events.send(Topics.IMAGE_VIEWS, views(top, 6, NOON));
		events.send(Topics.IMAGE_VIEWS, views(second, 4, NOON.minus(Duration.ofDays(3))));
		events.send(Topics.IMAGE_VIEWS, views(gone, 9, NOON));
		events.send(Topics.IMAGE_EVENTS, List.of(liked(second, owner, 1, NOON), liked(second, owner, 2, NOON.plusSeconds(1)),
				events.envelope(new ImageUpdated(top, owner, "Recovered top, renamed", "t", null, NOON), NOON),
				events.envelope(new ImageDeleted(gone, owner, owner, NOON.plusSeconds(2)), NOON.plusSeconds(2))));
		events.awaitConsumed(GROUPS);
		ImageStats topBefore = stats(top);
		ImageStats secondBefore = stats(second);
		List<RankedImage> weekBefore = ours(ranking("views", "week", 100), top, second, gone);
		assertThat(topBefore).isEqualTo(new ImageStats(top, 6, 0, 6, 6));

		// Redis loses everything of the rankings.
		Long lost = redis.scan(ScanOptions.scanOptions().match(PREFIX + "*").count(1000).build())
			.buffer(500)
			.concatMap(keys -> redis.delete(reactor.core.publisher.Flux.fromIterable(keys)))
			.reduce(0L, Long::sum)
			.block(Duration.ofSeconds(30));
		assertThat(lost).isPositive();
		notFound(top);

		String admin = tokens.token(UUID.randomUUID(), "root", "USER", "ADMIN");
		Generations started = client.post().uri("/api/rankings/rebuild").headers(h -> h.setBearerAuth(admin)).exchange()
			.expectStatus().isAccepted()
			.expectBody(Generations.class)
			.returnResult()
			.getResponseBody();
		assertThat(started.rebuilding()).isNotBlank();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
			assertThat(client.get().uri("/api/rankings/rebuild").headers(h -> h.setBearerAuth(admin)).exchange()
				.expectStatus().isOk()
				.expectBody(Generations.class)
				.returnResult()
				.getResponseBody()).isEqualTo(new Generations(started.rebuilding(), null)));

		assertThat(stats(top)).isEqualTo(topBefore);
		assertThat(stats(second)).isEqualTo(secondBefore);
		assertThat(ours(ranking("views", "week", 100), top, second, gone)).isEqualTo(weekBefore);
		assertThat(ours(ranking("views", "all", 100), top).get(0).title()).isEqualTo("Recovered top, renamed");
		notFound(gone);

		// The live consumers write into the new generation, once per view: the rebuilt generation's offset
		// watermarks skip what its replay counted when Kafka delivers those records again.
		events.send(Topics.IMAGE_VIEWS, views(top, 2, NOON));
		events.awaitConsumed(GROUPS);
		assertThat(stats(top).views()).isEqualTo(8);
		redeliverViewsFrom(topViews.get(0));
		assertThat(stats(top).views()).isEqualTo(8);
	}

	@Test
	void theImageEventsTopicKeepsItsEventsForever() throws Exception {
		ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.IMAGE_EVENTS);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			ConfigEntry retention = events.admin().describeConfigs(List.of(topic)).all().get().get(topic)
				.get(TopicConfig.RETENTION_MS_CONFIG);
			assertThat(retention.value()).isEqualTo("-1");
		});
	}

	// ---- helpers

	/**
	 * Stops the views consumer, moves its group back to the given record's offset in that
	 * record's partition and starts it again: Kafka delivers everything from there once more.
	 */
	private void redeliverViewsFrom(RecordMetadata from) {
		MessageListenerContainer views = listeners.getListenerContainer("ranking-views");
		views.stop();
		try {
			events.rewind(GROUPS + ".views", Map.of(new TopicPartition(from.topic(), from.partition()), from.offset()));
		}
		finally {
			views.start();
		}
		events.awaitConsumed(GROUPS + ".views", Topics.IMAGE_VIEWS);
	}

	private UUID bookmark(String title) {
		UUID image = UUID.randomUUID();
		events.send(Topics.IMAGE_EVENTS, List.of(events.envelope(new ImageBookmarked(image, UUID.randomUUID(), "owner",
				title, "slug", "/media/images/" + image + "/thumbnail", NOON.minus(Duration.ofDays(30))),
				NOON.minus(Duration.ofDays(30)))));
		return image;
	}

	/** Views by distinct signed-in viewers at the given time. */
	private List<EventEnvelope> views(UUID image, int count, Instant at) {
		List<EventEnvelope> views = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			views.add(events.envelope(new ImageViewed(image, UUID.randomUUID(), at), at));
		}
		return views;
	}

	private EventEnvelope liked(UUID image, UUID owner, long count, Instant at) {
		return events.envelope(new ImageLiked(image, owner, UUID.randomUUID(), "fan", count, at), at);
	}

	private EventEnvelope unliked(UUID image, UUID owner, long count, Instant at) {
		return events.envelope(new ImageUnliked(image, owner, UUID.randomUUID(), count, at), at);
	}

	private ImageStats stats(UUID image) {
		return client.get()
			.uri("/api/rankings/images/" + image)
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ImageStats.class)
			.returnResult()
			.getResponseBody();
	}

	private void notFound(UUID image) {
		client.get()
			.uri("/api/rankings/images/" + image)
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404);
	}

	private List<RankedImage> ranking(String by, String window, int limit) {
		return get("/api/rankings/images?by=" + by + "&window=" + window + "&limit=" + limit);
	}

	private List<RankedImage> get(String uri) {
		return client.get()
			.uri(uri)
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<List<RankedImage>>() {
			})
			.returnResult()
			.getResponseBody();
	}

	/** This test's images, in ranking order (other tests' images share the rankings). */
	private static List<RankedImage> ours(List<RankedImage> ranking, UUID... images) {
		List<UUID> wanted = List.of(images);
		return ranking.stream().filter(ranked -> wanted.contains(ranked.imageId())).toList();
	}

	private static Long score(List<RankedImage> ranking, UUID image) {
		return ranking.stream().filter(ranked -> ranked.imageId().equals(image)).map(RankedImage::score).findFirst()
			.orElse(null);
	}

}
