package dev.bookmarks.ranking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.devinfra.TestInfrastructure;
import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.image.ImageViewed;
import dev.bookmarks.platform.test.TestTokenIssuer;
import dev.bookmarks.ranking.store.RankingStore;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.CommonContainerStoppingErrorHandler;
import org.springframework.kafka.listener.CommonErrorHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer dies after its Redis script ran but before Kafka got the offset commit, then starts
 * again: Kafka delivers the same views once more, and the counts stay exact.
 *
 * <p>The first run stops its listener container on the first failure without committing the
 * batch (Spring's stopping error handler), as a crash would; the failure is a record that is no
 * event, sent after the views, so every view of the batch has gone through its script by then.
 * The second run is the service as configured.
 */
class ConsumerCrashTest {

	static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	static final String PREFIX = "{crash-" + RUN + "}";

	static final String GROUPS = "ranking-crash-" + RUN;

	private static final RankingEvents events = new RankingEvents();

	@AfterAll
	static void closeEvents() {
		events.close();
	}

	@Configuration(proxyBeanMethods = false)
	static class StopWithoutCommit {

		@Bean
		CommonErrorHandler stopWithoutCommit() {
			return new CommonContainerStoppingErrorHandler();
		}

	}

	@Test
	void viewsAppliedButNotCommittedBeforeACrashAreCountedOnceAfterTheRestart() {
		UUID image = UUID.randomUUID();
		Instant now = Instant.now();
		List<EventEnvelope> views = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			views.add(events.envelope(new ImageViewed(image, UUID.randomUUID(), now), now));
		}
		List<RecordMetadata> sent = events.send(Topics.IMAGE_VIEWS, views);
		RecordMetadata crash = events.sendRaw(Topics.IMAGE_VIEWS, image.toString(), "not an event: the crash");
		TopicPartition partition = new TopicPartition(crash.topic(), crash.partition());

		try (ConfigurableApplicationContext first = start(StopWithoutCommit.class)) {
			RankingStore store = first.getBean(RankingStore.class);
			KafkaListenerEndpointRegistry listeners = first.getBean(KafkaListenerEndpointRegistry.class);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> !listeners.getListenerContainer("ranking-views").isRunning());
			assertThat(store.stats(image).block(Duration.ofSeconds(10)).views()).isEqualTo(40);
		}
		// The scripts ran for all 40 views; Kafka has not seen the commit of (at least) some of them.
		long committed = committed(partition);
		long uncommitted = sent.stream().filter(record -> record.offset() >= committed).count();
		assertThat(uncommitted).as("views applied in Redis but not committed in Kafka").isPositive();

		try (ConfigurableApplicationContext second = start()) {
			events.awaitConsumed(GROUPS + ".views", Topics.IMAGE_VIEWS);
			assertThat(committed(partition)).isGreaterThan(crash.offset());
			assertThat(second.getBean(RankingStore.class).stats(image).block(Duration.ofSeconds(10)).views())
				.isEqualTo(40);
		}
	}

	private static long committed(TopicPartition partition) {
		try {
			OffsetAndMetadata offset = events.committed(GROUPS + ".views").get(partition);
			return offset == null ? 0 : offset.offset();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ConfigurableApplicationContext start(Class<?>... extra) {
		List<Class<?>> sources = new ArrayList<>(List.of(RankingApplication.class));
		sources.addAll(List.of(extra));
		// As command-line arguments: they win over application.yml, which default properties would not.
		return new SpringApplicationBuilder(sources.toArray(Class[]::new)).run("--server.port=0",
				"--spring.data.redis.url=" + TestInfrastructure.redis().url(),
				"--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafka().bootstrapServers(),
				"--bookmarks.security.issuer=" + TestTokenIssuer.ISSUER,
				"--bookmarks.security.jwk-set-uri=" + TestTokenIssuer.shared().jwkSetUri(),
				"--bookmarks.rankings.key-prefix=" + PREFIX, "--bookmarks.rankings.consumer-group-prefix=" + GROUPS);
	}

}
