package dev.bookmarks.bookmark.image;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import dev.bookmarks.devinfra.TestInfrastructure;
import dev.bookmarks.events.Topics;
import dev.bookmarks.platform.outbox.EventSerializer;
import dev.bookmarks.platform.tracing.EventTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The views' publisher on a real broker, and on one that is not there. */
class ViewCounterTest {

	@Test
	void everyViewReachesTheViewsTopic() throws Exception {
		String bootstrap = TestInfrastructure.kafka().bootstrapServers();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
			admin.createTopics(List.of(new NewTopic(Topics.IMAGE_VIEWS, 3, (short) 1))).all().get();
		}
		catch (ExecutionException existing) {
			assertThat(existing).hasCauseInstanceOf(TopicExistsException.class);
		}
		DefaultKafkaProducerFactory<String, String> producers = producers(bootstrap, 10_000);
		Scheduler scheduler = Schedulers.newBoundedElastic(4, 1000, "views-test");
		try {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			ViewCounter views = counter(producers, registry, scheduler);
			UUID viewer = UUID.randomUUID();
			Set<UUID> images = new HashSet<>();
			// From several threads at once, as event loops call it, so that views race the drain's end.
			Thread[] readers = new Thread[4];
			for (int t = 0; t < readers.length; t++) {
				List<UUID> ids = Stream.generate(UUID::randomUUID).limit(150).toList();
				images.addAll(ids);
				readers[t] = new Thread(() -> ids.forEach(id -> views.viewed(id, viewer, Context.empty())));
			}
			Arrays.stream(readers).forEach(Thread::start);
			for (Thread reader : readers) {
				reader.join();
			}

			assertThat(viewedImages(bootstrap, viewer, images.size())).isEqualTo(images);
			assertThat(registry.counter("bookmarks.images.views.dropped").count()).isZero();
		}
		finally {
			producers.destroy();
			scheduler.dispose();
		}
	}

	@Test
	void whileTheBrokerIsAwayOneThreadWaitsAndViewsBeyondTheBoundAreDroppedAndCounted() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		DefaultKafkaProducerFactory<String, String> producers = producers("127.0.0.1:" + closedPort, 20_000);
		Scheduler scheduler = Schedulers.newBoundedElastic(10, 100_000, "views-test");
		try {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			ViewCounter views = counter(producers, registry, scheduler);
			int extra = 500;
			for (int i = 0; i < ViewCounter.MAX_PENDING + extra; i++) {
				views.viewed(UUID.randomUUID(), UUID.randomUUID(), Context.empty());
			}

			// The drain took the first view and waits for the topic's metadata; every other view waits in the queue.
			await().atMost(Duration.ofSeconds(10)).until(() -> threadsWaitingInSend() == 1);
			assertThat(registry.counter("bookmarks.images.views.dropped").count()).isBetween(extra - 1.0, (double) extra);
			assertThat(threadsWaitingInSend()).isEqualTo(1);
		}
		finally {
			producers.destroy();
			scheduler.dispose();
		}
	}

	private static ViewCounter counter(DefaultKafkaProducerFactory<String, String> producers,
			SimpleMeterRegistry registry, Scheduler scheduler) {
		Clock clock = Clock.systemUTC();
		return new ViewCounter(new KafkaTemplate<>(producers), new EventSerializer(JsonMapper.builder().build(), clock),
				clock, EventTracing.OFF, registry, scheduler);
	}

	private static DefaultKafkaProducerFactory<String, String> producers(String bootstrap, int maxBlockMillis) {
		DefaultKafkaProducerFactory<String, String> producers = new DefaultKafkaProducerFactory<>(Map.of(
				"bootstrap.servers", bootstrap, "max.block.ms", maxBlockMillis, "linger.ms", 5,
				"key.serializer", StringSerializer.class, "value.serializer", StringSerializer.class));
		producers.setPhysicalCloseTimeout(1);
		return producers;
	}

	/** Threads of the test's scheduler inside KafkaProducer.send (blocked on the absent broker's metadata). */
	private static long threadsWaitingInSend() {
		return Thread.getAllStackTraces().entrySet().stream()
			.filter(thread -> thread.getKey().getName().startsWith("views-test"))
			.filter(thread -> Arrays.stream(thread.getValue())
				.anyMatch(frame -> frame.getClassName().equals("org.apache.kafka.clients.producer.KafkaProducer")))
			.count();
	}

	/** The images of this viewer's views on the topic, once as many as expected have arrived (or 30 s passed). */
	private static Set<UUID> viewedImages(String bootstrap, UUID viewer, int expected) {
		Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "group.id", "views-" + UUID.randomUUID(),
				"auto.offset.reset", "earliest", "key.deserializer", StringDeserializer.class, "value.deserializer",
				StringDeserializer.class);
		Set<UUID> seen = new HashSet<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
			consumer.subscribe(List.of(Topics.IMAGE_VIEWS));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (seen.size() < expected && System.nanoTime() < deadline) {
				for (var record : consumer.poll(Duration.ofMillis(200))) {
					if (record.value().contains("\"viewerId\":\"" + viewer + "\"")) {
						assertThat(seen.add(UUID.fromString(record.key()))).as("each view once").isTrue();
					}
				}
			}
		}
		return seen;
	}

}
