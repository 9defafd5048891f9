package dev.bookmarks.activity.action;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.follow.UserFollowed;
import dev.bookmarks.events.follow.UserUnfollowed;
import dev.bookmarks.events.image.ImageBookmarked;
import dev.bookmarks.events.image.ImageDeleted;
import dev.bookmarks.events.image.ImageLiked;
import dev.bookmarks.events.image.ImageUnliked;
import dev.bookmarks.events.user.UserRegistered;
import dev.bookmarks.platform.outbox.EventSerializer;
import dev.bookmarks.platform.outbox.EventSerializer.PreparedEvent;
import dev.bookmarks.platform.test.DeadLetters;
import dev.bookmarks.platform.test.ServiceTestProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The batch path on real PostgreSQL and Kafka: a poll's records applied in one transaction of
 * multi-row statements must give what one-by-one application gives, change nothing when the whole
 * batch comes again, and set aside only a record that cannot be applied.
 *
 * <p>Most tests hand a batch to the listener method the container calls, so that the records
 * certainly arrive together; the last one goes through Kafka and its error handler.
 */
@SpringBootTest
class ActionBatchesTest {

	private static final AtomicLong offsets = new AtomicLong();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ServiceTestProperties.r2dbc(registry, "activity");
		ServiceTestProperties.kafka(registry);
		ServiceTestProperties.redis(registry);
		ServiceTestProperties.tokens(registry);
	}

	@Autowired
	ActionEventsListener listener;

	@Autowired
	EventSerializer events;

	@Autowired
	DatabaseClient db;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Test
	void aWholeBatchDeliveredAgainOrTwiceAtOnceChangesNothing() throws Exception {
		UUID ada = UUID.randomUUID();
		UUID image = UUID.randomUUID();
		Instant t = now();
		PreparedEvent registered = events.prepare(new UserRegistered(ada, "ada-" + ada, "ada", null, t));
		PreparedEvent saved = events.prepare(new ImageBookmarked(image, ada, "ada-" + ada, "Once", "once", null,
				t.plusSeconds(1)));
		PreparedEvent liked = events.prepare(new ImageLiked(image, ada, ada, "ada-" + ada, 1, t.plusSeconds(2)));
		// The same like under another event id (a producer that sent it twice), and one record twice in the batch.
		PreparedEvent likedAgain = events.prepare(new ImageLiked(image, ada, ada, "ada-" + ada, 1, t.plusSeconds(2)));
		List<ConsumerRecord<String, String>> batch = records(saved, liked, likedAgain, saved);

		listener.onUserEvents(records(registered));
		listener.onImageEvents(batch);
		assertThat(actions(ada)).containsExactly("liked@" + time(t.plusSeconds(2)), "bookmarked@" + time(t.plusSeconds(1)),
				"registered@" + time(t));

		listener.onImageEvents(batch);
		listener.onUserEvents(records(registered));
		assertThat(actions(ada)).hasSize(3);
		assertThat(count("SELECT count(*) FROM action_occurrence WHERE actor_id = $1", ada)).isEqualTo(3);

		// A new batch applied by two consumers at once (two instances during a rebalance): one result.
		UUID other = UUID.randomUUID();
		List<ConsumerRecord<String, String>> both = records(
				events.prepare(new ImageBookmarked(other, ada, "ada-" + ada, "Raced", "raced", null, t.plusSeconds(3))),
				events.prepare(new ImageLiked(other, ada, ada, "ada-" + ada, 1, t.plusSeconds(4))));
		CompletableFuture<Void> first = CompletableFuture.runAsync(() -> listener.onImageEvents(both));
		CompletableFuture<Void> second = CompletableFuture.runAsync(() -> listener.onImageEvents(both));
		CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
		assertThat(actions(ada)).hasSize(5);
	}

	@Test
	void theSixtySecondRuleHoldsWithinOneBatchInAnyOrder() {
		UUID inOrder = UUID.randomUUID();
		UUID reversed = UUID.randomUUID();
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		Instant t = now();
		List<DomainEvent> batch = new ArrayList<>();
		for (int seconds : new int[] { 0, 30, 61, 90 }) {
			batch.add(new ImageLiked(first, UUID.randomUUID(), inOrder, "in-order", 1, t.plusSeconds(seconds)));
		}
		for (int seconds : new int[] { 90, 61, 30, 0 }) {
			batch.add(new ImageLiked(second, UUID.randomUUID(), reversed, "reversed", 1, t.plusSeconds(seconds)));
		}
		listener.onImageEvents(records(batch.stream().map(events::prepare).toArray(PreparedEvent[]::new)));

		List<String> expected = List.of("liked@" + time(t.plusSeconds(61)), "liked@" + time(t));
		assertThat(actions(inOrder)).isEqualTo(expected);
		assertThat(actions(reversed)).isEqualTo(expected);

		// Spread over two batches, the second older than the first: the starts are derived again.
		UUID late = UUID.randomUUID();
		UUID image = UUID.randomUUID();
		listener.onImageEvents(records(events.prepare(new ImageLiked(image, UUID.randomUUID(), late, "late", 1,
				t.plusSeconds(40)))));
		listener.onImageEvents(records(events.prepare(new ImageLiked(image, UUID.randomUUID(), late, "late", 1, t))));
		assertThat(actions(late)).containsExactly("liked@" + time(t));
	}

	@Test
	void undoingInTheSameBatchLeavesNothing() {
		UUID ada = UUID.randomUUID();
		UUID grace = UUID.randomUUID();
		UUID deleted = UUID.randomUUID();
		UUID unliked = UUID.randomUUID();
		Instant t = now();
		listener.onImageEvents(records(
				events.prepare(new ImageBookmarked(deleted, ada, "ada", "Gone", "gone", null, t)),
				events.prepare(new ImageLiked(deleted, ada, grace, "grace", 1, t.plusSeconds(1))),
				events.prepare(new ImageDeleted(deleted, ada, ada, t.plusSeconds(2))),
				events.prepare(new ImageLiked(unliked, ada, grace, "grace", 1, t.plusSeconds(3))),
				events.prepare(new ImageUnliked(unliked, ada, grace, 0, t.plusSeconds(4))),
				// After the deletion: a late like of the deleted image stays out.
				events.prepare(new ImageLiked(deleted, ada, grace, "grace", 1, t.plusSeconds(5)))));
		listener.onFollowEvents(records(
				events.prepare(new UserFollowed(ada, "ada", grace, "grace", t.plusSeconds(6))),
				events.prepare(new UserUnfollowed(ada, grace, t.plusSeconds(6))),
				events.prepare(new UserFollowed(grace, "grace", ada, "ada", t.plusSeconds(7)))));

		assertThat(actions(ada)).isEmpty();
		assertThat(actions(grace)).containsExactly("followed@" + time(t.plusSeconds(7)));
		assertThat(count("SELECT count(*) FROM follow_edge WHERE follower_id = $1 AND following", ada)).isZero();
		assertThat(count("SELECT count(*) FROM image WHERE id = $1 AND deleted_at IS NOT NULL", deleted)).isEqualTo(1);
	}

	@Test
	void aBookmarkArrivingAfterItsImageWasDeletedMakesNoAction() {
		UUID ada = UUID.randomUUID();
		UUID image = UUID.randomUUID();
		UUID other = UUID.randomUUID();
		Instant t = now();
		listener.onImageEvents(records(events.prepare(new ImageDeleted(image, ada, ada, t.plusSeconds(5)))));

		// The versions' statement answers for both images: the deleted one stays out, the new one is in.
		listener.onImageEvents(records(
				events.prepare(new ImageBookmarked(image, ada, "ada", "Gone", "gone", null, t)),
				events.prepare(new ImageBookmarked(other, ada, "ada", "Here", "here", null, t.plusSeconds(1)))));

		assertThat(actions(ada)).containsExactly("bookmarked@" + time(t.plusSeconds(1)));
		assertThat(count("SELECT count(*) FROM image WHERE id = $1 AND deleted_at IS NOT NULL", image)).isEqualTo(1);
	}

	@Test
	void aRecordThatCannotBeAppliedIsReportedByItsIndexAfterTheRecordsBeforeItApplied() {
		UUID ada = UUID.randomUUID();
		Instant t = now();
		PreparedEvent before = events.prepare(new ImageBookmarked(UUID.randomUUID(), ada, "ada", "Before", "before",
				null, t));
		PreparedEvent after = events.prepare(new ImageBookmarked(UUID.randomUUID(), ada, "ada", "After", "after",
				null, t.plusSeconds(1)));
		List<ConsumerRecord<String, String>> batch = new ArrayList<>(records(before, after));
		batch.add(1, record(Topics.IMAGE_EVENTS, "poison", "{\"not\": \"an event\"}"));

		assertThatThrownBy(() -> listener.onImageEvents(batch)).isInstanceOfSatisfying(
				BatchListenerFailedException.class, failed -> assertThat(failed.getIndex()).isEqualTo(1));
		assertThat(actions(ada)).containsExactly("bookmarked@" + time(t));

		// The container goes on from the record after it (once it is dead-lettered).
		listener.onImageEvents(batch.subList(2, 3));
		assertThat(actions(ada)).hasSize(2);
	}

	@Test
	void throughKafkaAPoisonRecordIsDeadLetteredAndTheRestOfItsBatchApplies() throws Exception {
		UUID ada = UUID.randomUUID();
		UUID image = UUID.randomUUID();
		Instant t = now();
		String key = image.toString();
		List<PreparedEvent> good = new ArrayList<>();
		String poison = "{\"eventId\": \"" + UUID.randomUUID() + "\", \"type\": \"ImageLiked\", \"version\": 1, "
				+ "\"payload\": {\"imageId\": \"not a uuid\"}}";
		for (int i = 0; i < 20; i++) {
			good.add(events.prepare(new ImageLiked(image, ada, UUID.randomUUID(), "liker", 1, t.plusSeconds(i))));
			if (i == 10) {
				kafka.send(Topics.IMAGE_EVENTS, key, poison);
			}
			kafka.send(Topics.IMAGE_EVENTS, key, good.get(i).json());
		}
		kafka.flush();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> count("SELECT count(*) FROM action WHERE target_id = $1", image) == 20);
		assertThat(DeadLetters.of(Topics.IMAGE_EVENTS, key, Duration.ofSeconds(30))).containsExactly(poison);
	}

	// ------------------------------------------------------------------------------------------

	private static Instant now() {
		return Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
	}

	private static String time(Instant at) {
		return ActionLog.time(at).toInstant().toString();
	}

	private List<ConsumerRecord<String, String>> records(PreparedEvent... prepared) {
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		for (PreparedEvent event : prepared) {
			records.add(record(event.topic(), event.envelope().aggregateId(), event.json()));
		}
		return records;
	}

	private static ConsumerRecord<String, String> record(String topic, String key, String value) {
		return new ConsumerRecord<>(topic, 0, offsets.incrementAndGet(), key, value);
	}

	/** The person's actions, newest first, as {@code verb@createdAt}. */
	private List<String> actions(UUID actor) {
		return db.sql("SELECT verb, created_at FROM action WHERE actor_id = $1 ORDER BY created_at DESC")
			.bind(0, actor)
			.map(row -> row.get(0, String.class) + "@" + row.get(1, OffsetDateTime.class).toInstant())
			.all()
			.collectList()
			.block(Duration.ofSeconds(5));
	}

	private long count(String sql, UUID parameter) {
		return db.sql(sql).bind(0, parameter).map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5));
	}

}
