package dev.bookmarks.platform.backbone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import dev.bookmarks.devinfra.TestInfrastructure;
import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.platform.backbone.BackboneApplication.GreetingProjection;
import dev.bookmarks.platform.backbone.BackboneApplication.Greetings;
import dev.bookmarks.platform.consumer.ProcessedEventCleanup;
import dev.bookmarks.platform.outbox.OutboxBacklog;
import dev.bookmarks.platform.outbox.OutboxMetrics;
import dev.bookmarks.platform.outbox.OutboxProperties;
import dev.bookmarks.platform.outbox.ReactiveOutboxRelay;
import dev.bookmarks.platform.tracing.EventTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The event backbone against real PostgreSQL and a real Kafka broker: outbox, relay, idempotent
 * consumer, retries and the dead-letter topic.
 */
@SpringBootTest(classes = BackboneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class BackboneTest {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		BackboneTestSupport.database(registry);
		registry.add("spring.kafka.bootstrap-servers", () -> TestInfrastructure.kafka().bootstrapServers());
	}

	@Autowired
	Greetings greetings;

	@Autowired
	ReactiveOutboxRelay relay;

	@Autowired
	DatabaseClient db;

	@Autowired
	ReactiveTransactionManager transactions;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	OutboxBacklog backlog;

	@Autowired
	MeterRegistry meters;

	@AfterEach
	void relayRunsAgain() {
		if (!relay.isRunning()) {
			relay.start();
		}
		if (!backlog.isRunning()) {
			backlog.start();
		}
	}

	@Test
	void eventWrittenWhileTheRelayIsDownIsDeliveredOnceItRuns() {
		relay.stop();
		EventEnvelope event = greetings.greet("ada").block();

		assertThat(BackboneTestSupport.outboxState(db, event.eventId())).isEqualTo("pending");
		assertThat(BackboneTestSupport.timesSeen(db, "ada")).isZero();

		relay.start();

		await().atMost(WAIT).until(() -> BackboneTestSupport.timesSeen(db, "ada") == 1);
		assertThat(BackboneTestSupport.outboxState(db, event.eventId())).isEqualTo("sent");
		ConsumerRecord<String, String> record = recordOf(event.eventId());
		assertThat(record.key()).isEqualTo(event.aggregateId());
		assertThat(record.value()).contains("\"type\":\"UserRegistered\"", "\"version\":1",
				"\"eventId\":\"" + event.eventId() + "\"");
	}

	@Test
	void rolledBackChangeLeavesNoEventBehind() {
		assertThatThrownBy(() -> greetings.greetThenFail("ghost").block()).hasMessageContaining("rolled back");

		long rows = db.sql("SELECT count(*) FROM outbox WHERE envelope -> 'payload' ->> 'username' = 'ghost'")
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
		assertThat(rows).isZero();
		assertThat(db.sql("SELECT count(*) FROM greeting WHERE name = 'ghost'").map(row -> row.get(0, Long.class))
			.one()
			.block()).isZero();
	}

	@Test
	void twoRelaysRunningAtOnceSendEveryRowExactlyOnce() {
		awaitOutboxDrained();
		relay.stop();
		List<UUID> ids = Flux.range(0, 150)
			.concatMap(i -> greetings.greet("crowd-" + i))
			.map(EventEnvelope::eventId)
			.collectList()
			.block();
		OutboxProperties small = new OutboxProperties(true, null, 10, null, null, null, null, null);
		ReactiveOutboxRelay first = newRelay(small, kafka);
		// Both compete for the relay lock cycle by cycle; whoever holds it publishes.
		ReactiveOutboxRelay second = newRelay(small, kafka);

		CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> drain(first));
		CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> drain(second));

		assertThat(a.join() + b.join()).isEqualTo(150);
		Map<String, Long> copies = BackboneTestSupport
			.readUntil(TestInfrastructure.kafka().bootstrapServers(), Topics.USER_EVENTS,
					seen -> eventIds(seen).containsAll(ids.stream().map(UUID::toString).toList()), WAIT)
			.stream()
			.map(BackboneTest::eventIdOf)
			.filter(id -> id != null && ids.contains(UUID.fromString(id)))
			.collect(Collectors.groupingBy(id -> id, Collectors.counting()));
		assertThat(copies).hasSize(150).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
	}

	@Test
	void rowThatKeepsFailingIsParkedAndCounted() {
		awaitOutboxDrained();
		relay.stop();
		EventEnvelope event = greetings.greet("unlucky").block();
		OutboxProperties twoTries = new OutboxProperties(true, null, 10, Duration.ofSeconds(1), Duration.ofMillis(1),
				Duration.ofMillis(1), 2, null);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		KafkaTemplate<String, String> doomedBroker = unreachableBroker();
		ReactiveOutboxRelay doomed = new ReactiveOutboxRelay(db, TransactionalOperator.create(transactions),
				doomedBroker, twoTries, new OutboxMetrics(meters), EventTracing.OFF);

		try {
			assertThat(doomed.relayOnce().block()).isEqualTo(-1);
			await().atMost(WAIT)
				.until(() -> doomed.relayOnce().block() == -1 && "parked".equals(BackboneTestSupport.outboxState(db, event.eventId())));
			assertThat(meters.counter("bookmarks.outbox.parked").count()).isEqualTo(1);
			assertThat(meters.counter("bookmarks.outbox.failed").count()).isEqualTo(2);
		}
		finally {
			doomedBroker.destroy();
		}
		assertThat(db.sql("SELECT last_error FROM outbox WHERE id = $1").bind(0, event.eventId())
			.map(row -> row.get(0, String.class))
			.one()
			.block()).isNotBlank();
		// Parked rows are left for an operator; the next event flows past it.
		relay.start();
		EventEnvelope next = greetings.greet("lucky").block();
		await().atMost(WAIT).until(() -> "sent".equals(BackboneTestSupport.outboxState(db, next.eventId())));
		assertThat(BackboneTestSupport.outboxState(db, event.eventId())).isEqualTo("parked");
	}

	@Test
	void sameEventDeliveredTwiceIsAppliedOnce() throws Exception {
		relay.stop();
		EventEnvelope event = greetings.greet("twice").block();
		String envelope = db.sql("SELECT envelope::text FROM outbox WHERE id = $1").bind(0, event.eventId())
			.map(row -> row.get(0, String.class))
			.one()
			.block();
		// The relay publishes it, and a redelivery (say, after a crash before the commit) sends it again.
		relay.start();
		await().atMost(WAIT).until(() -> "sent".equals(BackboneTestSupport.outboxState(db, event.eventId())));
		kafka.send(Topics.USER_EVENTS, event.aggregateId(), envelope).get();
		kafka.send(Topics.USER_EVENTS, event.aggregateId(), envelope).get();
		// A later event on the same key (same partition) proves the copies were consumed before it.
		relay.stop();
		EventEnvelope marker = greetings.greet("after-twice").block();
		kafka.send(Topics.USER_EVENTS, event.aggregateId(), envelopeOf(marker)).get();

		await().atMost(WAIT).until(() -> BackboneTestSupport.timesSeen(db, "after-twice") == 1);
		assertThat(BackboneTestSupport.timesSeen(db, "twice")).isEqualTo(1);
	}

	@Test
	void poisonMessageGoesToTheDeadLetterTopicAndLaterMessagesAreStillApplied() throws Exception {
		String key = UUID.randomUUID().toString();
		kafka.send(Topics.USER_EVENTS, key, "{not an event").get();
		relay.stop();
		EventEnvelope later = greetings.greet("after-poison").block();
		kafka.send(Topics.USER_EVENTS, key, envelopeOf(later)).get();

		double deadBefore = deadLetters(Topics.USER_EVENTS);
		await().atMost(WAIT).until(() -> BackboneTestSupport.timesSeen(db, "after-poison") == 1);
		ConsumerRecord<String, String> dead = deadLetter(key);
		assertThat(deadLetters(Topics.USER_EVENTS) - deadBefore).isEqualTo(1);
		assertThat(deadLetters(Topics.IMAGE_VIEWS)).isZero();
		assertThat(dead.value()).isEqualTo("{not an event");
		assertThat(header(dead, "kafka_dlt-exception-message")).contains("Not an event envelope");
		assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(Topics.USER_EVENTS);
	}

	@Test
	void failingEffectIsRetriedThenDeadLetteredWithoutAPartialEffect() throws Exception {
		int before = GreetingProjection.explosions.get();
		EventEnvelope exploding = greetings.greet(BackboneApplication.EXPLODING).block();
		greetings.greet("after-explosion").block();

		await().atMost(WAIT).until(() -> BackboneTestSupport.timesSeen(db, "after-explosion") == 1);
		ConsumerRecord<String, String> dead = deadLetter(exploding.aggregateId());
		assertThat(dead.value()).contains(exploding.eventId().toString());
		assertThat(header(dead, "kafka_dlt-exception-message")).contains("projection failed for explode");
		// First try plus two retries, each rolled back with its processed-event row.
		assertThat(GreetingProjection.explosions.get() - before).isEqualTo(3);
		assertThat(BackboneTestSupport.timesSeen(db, BackboneApplication.EXPLODING)).isZero();
		assertThat(db.sql("SELECT count(*) FROM processed_event WHERE event_id = $1").bind(0, exploding.eventId())
			.map(row -> row.get(0, Long.class))
			.one()
			.block()).isZero();
	}

	@Test
	void processedEventIdsAreForgottenOnlyAfterTheRetention() {
		UUID old = UUID.randomUUID();
		UUID recent = UUID.randomUUID();
		db.sql("INSERT INTO processed_event (consumer, event_id, processed_at) VALUES ('cleanup', $1, now() - interval '31 days'), ('cleanup', $2, now() - interval '29 days')")
			.bind(0, old)
			.bind(1, recent)
			.then()
			.block();

		new ProcessedEventCleanup(db, Duration.ofDays(30), Duration.ofHours(1)).cleanUp().block();

		List<UUID> left = db.sql("SELECT event_id FROM processed_event WHERE consumer = 'cleanup'")
			.map(row -> row.get(0, UUID.class))
			.all()
			.collectList()
			.block();
		assertThat(left).containsExactly(recent);
	}

	@Test
	void theBacklogGaugesShowHowManyEventsWaitAndForHowLong() throws Exception {
		awaitOutboxDrained();
		relay.stop();
		// Sampled by hand here, so that a scheduled sample cannot interleave.
		backlog.stop();
		EventEnvelope waiting = greetings.greet("waiting").block();
		db.sql("UPDATE outbox SET occurred_at = now() - interval '90 seconds' WHERE id = $1")
			.bind(0, waiting.eventId())
			.then()
			.block();

		backlog.sampleNow();
		assertThat(gauge("bookmarks.outbox.pending")).isEqualTo(1);
		assertThat(gauge("bookmarks.outbox.oldest.pending.age")).isBetween(90.0, 300.0);

		relay.start();
		await().atMost(WAIT).until(() -> "sent".equals(BackboneTestSupport.outboxState(db, waiting.eventId())));
		backlog.sampleNow();
		assertThat(gauge("bookmarks.outbox.pending")).isZero();
		assertThat(gauge("bookmarks.outbox.oldest.pending.age")).isZero();
	}

	private double gauge(String name) {
		return meters.get(name).gauge().value();
	}

	private double deadLetters(String topic) {
		return meters.get("bookmarks.consumer.dead.letters").tag("topic", topic).counter().count();
	}

	private void awaitOutboxDrained() {
		await().atMost(WAIT)
			.until(() -> db.sql("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND parked_at IS NULL")
				.map(row -> row.get(0, Long.class))
				.one()
				.block() == 0);
	}

	private ReactiveOutboxRelay newRelay(OutboxProperties properties, KafkaTemplate<String, String> template) {
		return new ReactiveOutboxRelay(db, TransactionalOperator.create(transactions), template, properties,
				new OutboxMetrics(new SimpleMeterRegistry()), EventTracing.OFF);
	}

	private static int drain(ReactiveOutboxRelay relay) {
		int sent = 0;
		int idle = 0;
		while (idle < 3) {
			int result = relay.relayOnce().block();
			assertThat(result).isNotNegative();
			sent += result;
			idle = result == 0 ? idle + 1 : 0;
		}
		return sent;
	}

	private static KafkaTemplate<String, String> unreachableBroker() {
		Map<String, Object> config = new HashMap<>();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300);
		return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
	}

	private String envelopeOf(EventEnvelope event) {
		return db.sql("SELECT envelope::text FROM outbox WHERE id = $1")
			.bind(0, event.eventId())
			.map(row -> row.get(0, String.class))
			.one()
			.block();
	}

	private static ConsumerRecord<String, String> recordOf(UUID eventId) {
		return BackboneTestSupport
			.readUntil(TestInfrastructure.kafka().bootstrapServers(), Topics.USER_EVENTS,
					seen -> eventIds(seen).contains(eventId.toString()), WAIT)
			.stream()
			.filter(record -> eventId.toString().equals(eventIdOf(record)))
			.findFirst()
			.orElseThrow();
	}

	private static ConsumerRecord<String, String> deadLetter(String key) {
		return BackboneTestSupport
			.readUntil(TestInfrastructure.kafka().bootstrapServers(), Topics.deadLetterOf(Topics.USER_EVENTS),
					seen -> seen.stream().anyMatch(record -> key.equals(record.key())), WAIT)
			.stream()
			.filter(record -> key.equals(record.key()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no dead letter with key " + key));
	}

	private static List<String> eventIds(List<ConsumerRecord<String, String>> records) {
		List<String> ids = new ArrayList<>();
		records.forEach(record -> ids.add(eventIdOf(record)));
		return ids;
	}

	private static String eventIdOf(ConsumerRecord<String, String> record) {
		return header(record, "eventId");
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		Header header = record.headers().lastHeader(name);
		return header == null ? null : new String(header.value(), UTF_8);
	}


}
