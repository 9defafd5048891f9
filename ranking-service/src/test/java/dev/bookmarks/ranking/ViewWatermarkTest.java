package dev.bookmarks.ranking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.image.ImageViewed;
import dev.bookmarks.platform.consumer.MalformedEventException;
import dev.bookmarks.platform.test.ServiceTestProperties;
import dev.bookmarks.ranking.events.EventApplier;
import dev.bookmarks.ranking.events.EventApplier.PollOutcome;
import dev.bookmarks.ranking.store.ImageStats;
import dev.bookmarks.ranking.store.RankingStore;
import dev.bookmarks.ranking.store.View;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views count once by their partition's offset watermark, with no key per view: a poll applied
 * again after a part of it was, a record that fails in the middle of a poll, the replay of a
 * rebuild meeting the live consumers in the new generation, and Redis memory that does not grow
 * with the number of views. The views listener starts only when a test starts it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "spring.kafka.listener.auto-startup=false")
@Import(ViewWatermarkTest.TestClock.class)
class ViewWatermarkTest {

	static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	static final String PREFIX = "{wm-" + RUN + "}";

	static final String GROUPS = "ranking-wm-" + RUN;

	static final Instant NOON = Instant.parse("2026-11-30T12:00:00Z");

	static final Duration WAIT = Duration.ofSeconds(30);

	private static final RankingEvents events = new RankingEvents();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ServiceTestProperties.redis(registry);
		ServiceTestProperties.kafka(registry);
		ServiceTestProperties.tokens(registry);
		registry.add("bookmarks.rankings.key-prefix", () -> PREFIX);
		registry.add("bookmarks.rankings.consumer-group-prefix", () -> GROUPS);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class TestClock {

		@Bean
		@Primary
		MutableClock testClock() {
			return new MutableClock(NOON);
		}

	}

	@Autowired
	EventApplier applier;

	@Autowired
	RankingStore store;

	@Autowired
	ReactiveStringRedisTemplate redis;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@Autowired
	MutableClock clock;

	@AfterAll
	static void closeEvents() {
		events.close();
	}

	@Test
	void aViewsBatchRedeliveredAfterAPartialApplyCountsEachViewOnce() {
		MessageListenerContainer consumer = listeners.getListenerContainer("ranking-views");
		consumer.stop();
		// 250 views of one partition, of three images (the topic is shared: no image of ours may reach the
		// 100 views other test classes' rankings count on)
		UUID[] images = { UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID() };
		List<EventEnvelope> views = new ArrayList<>();
		for (int i = 0; i < 250; i++) {
			views.add(views(images[i % 3], 1).get(0));
		}
		List<RecordMetadata> sent = events.send(Topics.IMAGE_VIEWS, 0, views);
		List<ConsumerRecord<String, String>> poll = new ArrayList<>();
		for (int i = 0; i < views.size(); i++) {
			poll.add(events.record(sent.get(i), views.get(i)));
		}

		// An instance applied the first 130 of the poll (a full script run of 100 and one of 30), then died.
		assertThat(applier.applyViews(poll.subList(0, 130), RankingStore.LIVE, false).block(WAIT).failed()).isFalse();
		assertThat(views(images)).isEqualTo(130);

		// The whole poll again, as a retry of the batch brings it: only the 120 others count.
		assertThat(applier.applyViews(poll, RankingStore.LIVE, false).block(WAIT).failed()).isFalse();
		assertThat(views(images)).isEqualTo(250);

		// And Kafka itself delivers them again: the group has committed nothing of them.
		consumer.start();
		events.awaitConsumed(GROUPS + ".views", Topics.IMAGE_VIEWS);
		assertThat(views(images)).isEqualTo(250);
		assertThat(store.stats(images[0]).block(WAIT)).extracting(ImageStats::views, ImageStats::viewsToday)
			.containsExactly(84L, 84L);
	}

	@Test
	void aFailedRecordStopsItsPartitionAndTheRedeliveryCountsTheRestOnce() {
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		String topic = "wm-fail-" + RUN;
		// A poll: 20 views of partition 0, then 20 of partition 1 whose 8th record is no event.
		List<ConsumerRecord<String, String>> poll = new ArrayList<>();
		poll.addAll(records(topic, 0, 100, views(first, 20)));
		List<ConsumerRecord<String, String>> other = records(topic, 1, 500, views(second, 20));
		ConsumerRecord<String, String> broken = other.get(7);
		other.set(7, new ConsumerRecord<>(topic, 1, broken.offset(), broken.key(), "not an event"));
		poll.addAll(other);

		PollOutcome outcome = applier.applyViews(poll, RankingStore.LIVE, false).block(WAIT);
		assertThat(outcome.failedAt()).isEqualTo(27);
		assertThat(outcome.failure()).isInstanceOf(MalformedEventException.class);
		assertThat(views(first)).isEqualTo(20);
		// nothing after the failed record in its partition: the watermark must not pass it
		assertThat(views(second)).isEqualTo(7);

		// The container commits the records before it, dead-letters it, and polls from the one after it.
		assertThat(applier.applyViews(poll.subList(28, 40), RankingStore.LIVE, false).block(WAIT).failed()).isFalse();
		assertThat(views(first)).isEqualTo(20);
		assertThat(views(second)).isEqualTo(19);
		// The records before it once more (as a retry after a timeout would bring them): nothing counts twice.
		assertThat(applier.applyViews(poll.subList(0, 27), RankingStore.LIVE, false).block(WAIT).failed()).isFalse();
		assertThat(views(first)).isEqualTo(20);
		assertThat(views(second)).isEqualTo(19);
	}

	@Test
	void noKeyIsKeptPerView() {
		listeners.getListenerContainer("ranking-views").start();
		UUID image = UUID.randomUUID();
		events.send(Topics.IMAGE_VIEWS, views(image, 10));
		events.awaitConsumed(GROUPS + ".views", Topics.IMAGE_VIEWS);
		assertThat(views(image)).isEqualTo(10);
		long keys = keys();

		events.send(Topics.IMAGE_VIEWS, views(image, 80));
		events.awaitConsumed(GROUPS + ".views", Topics.IMAGE_VIEWS);
		assertThat(views(image)).isEqualTo(90);
		// the all-time and day rankings, the day's viewers, the offset watermarks: as many keys as before
		assertThat(keys()).isEqualTo(keys);
	}

	@Test
	void duringARebuildTheReplayAndTheLiveConsumersCountEachOffsetOnce() {
		String topic = "wm-rebuild-" + RUN;
		UUID image = UUID.randomUUID();
		String building = "77";
		String newViews = PREFIX + ":g" + building + ":views";
		UUID lagging = UUID.randomUUID();
		try {
			// Before the rebuild began, the live consumers applied offsets 0-9 of partition 0 and 0-19 of 1.
			live(topic, 0, image, 0, 9);
			live(topic, 1, lagging, 0, 19);
			redis.opsForValue().set(PREFIX + ":building", building, Duration.ofMinutes(1)).block(WAIT);

			// Partition 0: the live consumer goes on into both generations, from 10; the replay starts from
			// the beginning and stops at the first offset the live consumer applied to the new generation.
			live(topic, 0, image, 10, 14);
			replay(topic, 0, image, building, 0, 19);
			assertThat(score(newViews, image)).isEqualTo(15);
			// A crash: the live consumer gets 8-19 again.
			live(topic, 0, image, 8, 19);
			assertThat(score(newViews, image)).isEqualTo(20);

			// Partition 1: the replay runs ahead of the live consumer; they meet once.
			replay(topic, 1, lagging, building, 0, 29);
			live(topic, 1, lagging, 20, 34);
			replay(topic, 1, lagging, building, 30, 34);
			assertThat(score(newViews, lagging)).isEqualTo(35);

			// Partition 2 is new (partitions were added): no watermark anywhere, it counts from its offset 0.
			UUID added = UUID.randomUUID();
			live(topic, 2, added, 0, 4);
			assertThat(score(newViews, added)).isEqualTo(5);
			// Up to here the serving generation counted the same.
			assertThat(score(PREFIX + ":g0:views", image)).isEqualTo(20);
			assertThat(score(PREFIX + ":g0:views", lagging)).isEqualTo(35);

			// The rebuilt generation serves; the live consumer goes on where it stood, once per offset.
			assertThat(store.swap(building).block(WAIT)).isEqualTo("0");
			live(topic, 0, image, 15, 24);
			live(topic, 1, lagging, 30, 40);
			assertThat(score(newViews, image)).isEqualTo(25);
			assertThat(score(newViews, lagging)).isEqualTo(41);
			assertThat(store.stats(image).block(WAIT).views()).isEqualTo(25);
		}
		finally {
			redis.opsForValue().set(PREFIX + ":serving", "0").block(WAIT);
			redis.delete(PREFIX + ":building").block(WAIT);
		}
	}

	@Test
	void offsetsBeyondWhatADoublePrintsAreKeptExactly() {
		String topic = "wm-large-" + RUN;
		UUID image = UUID.randomUUID();
		long offset = 1_234_567_890_123_456L;
		assertThat(store.views(RankingStore.LIVE, topic, 0, List.of(view(offset, image))).block(WAIT)).isEqualTo(1);
		assertThat(store.views(RankingStore.LIVE, topic, 0, List.of(view(offset, image))).block(WAIT)).isZero();
		assertThat(store.views(RankingStore.LIVE, topic, 0, List.of(view(offset + 1, image))).block(WAIT)).isEqualTo(1);
		assertThat(redis.opsForHash().get(PREFIX + ":g0:offsets", topic + ":0").block(WAIT))
			.isEqualTo(Long.toString(offset + 1));
	}

	@Test
	void aDaysViewersAreKeptUntilAnHourAfterTheDayOnly() {
		String topic = "wm-viewers-" + RUN;
		UUID image = UUID.randomUUID();
		Instant yesterday = NOON.minus(Duration.ofDays(1));
		store.views(RankingStore.LIVE, topic, 0, List.of(new View(0, image, UUID.randomUUID(), yesterday),
				new View(1, image, UUID.randomUUID(), NOON), new View(2, image, UUID.randomUUID(), NOON))).block(WAIT);

		assertThat(store.stats(image).block(WAIT)).isEqualTo(new ImageStats(image, 3, 0, 2, 2));
		// only today's unique viewers are ever read: yesterday's are not kept, today's until 01:00 tomorrow
		assertThat(redis.hasKey(PREFIX + ":g0:viewers:2026-11-29:" + image).block(WAIT)).isFalse();
		assertThat(score(PREFIX + ":g0:views:2026-11-29", image)).isEqualTo(1);
		Duration ttl = redis.getExpire(PREFIX + ":g0:viewers:2026-11-30:" + image).block(WAIT);
		assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofHours(13));
	}

	@Test
	void dayKeysLiveByTheServicesClockNotRedisOne() {
		// The service's clock says mid-2020 (Redis's says otherwise): its days are kept all the same, as
		// the tests' fixed days are whatever the date they run on.
		Instant then = Instant.parse("2020-06-01T12:00:00Z");
		clock.set(then);
		try {
			UUID image = UUID.randomUUID();
			store.views(RankingStore.LIVE, "wm-clock-" + RUN, 0, List.of(new View(0, image, UUID.randomUUID(), then)))
				.block(WAIT);
			assertThat(score(PREFIX + ":g0:views:2020-06-01", image)).isEqualTo(1);
			assertThat(redis.getExpire(PREFIX + ":g0:views:2020-06-01").block(WAIT))
				.isBetween(Duration.ofDays(8), Duration.ofDays(8).plusHours(12));
			assertThat(redis.getExpire(PREFIX + ":g0:viewers:2020-06-01:" + image).block(WAIT))
				.isBetween(Duration.ofHours(12), Duration.ofHours(13));
		}
		finally {
			clock.set(NOON);
		}
	}

	// ---- helpers

	private void live(String topic, int partition, UUID image, long from, long to) {
		store.views(RankingStore.LIVE, topic, partition, range(image, from, to)).block(WAIT);
	}

	private void replay(String topic, int partition, UUID image, String generation, long from, long to) {
		store.views(generation, topic, partition, range(image, from, to)).block(WAIT);
	}

	private static List<View> range(UUID image, long from, long to) {
		List<View> views = new ArrayList<>();
		for (long offset = from; offset <= to; offset++) {
			views.add(view(offset, image));
		}
		return views;
	}

	private static View view(long offset, UUID image) {
		return new View(offset, image, UUID.randomUUID(), NOON);
	}

	private static List<EventEnvelope> views(UUID image, int count) {
		List<EventEnvelope> views = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			views.add(events.envelope(new ImageViewed(image, UUID.randomUUID(), NOON), NOON));
		}
		return views;
	}

	private static List<ConsumerRecord<String, String>> records(String topic, int partition, long firstOffset,
			List<EventEnvelope> envelopes) {
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		for (EventEnvelope envelope : envelopes) {
			records.add(events.record(
					new RecordMetadata(new org.apache.kafka.common.TopicPartition(topic, partition),
							firstOffset + records.size(), 0, 0, 0, 0),
					envelope));
		}
		return records;
	}

	private long views(UUID... images) {
		long views = 0;
		for (UUID image : images) {
			ImageStats stats = store.stats(image).block(WAIT);
			views += stats == null ? 0 : stats.views();
		}
		return views;
	}

	private Long score(String key, UUID image) {
		Double score = redis.opsForZSet().score(key, image.toString()).block(WAIT);
		return score == null ? null : Math.round(score);
	}

	private long keys() {
		return redis.scan(ScanOptions.scanOptions().match(PREFIX + "*").count(1000).build())
			.count()
			.block(WAIT);
	}

}
