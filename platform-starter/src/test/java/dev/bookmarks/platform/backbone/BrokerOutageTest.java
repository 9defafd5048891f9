package dev.bookmarks.platform.backbone;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import dev.bookmarks.devinfra.KafkaBroker;
import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.platform.backbone.BackboneApplication.Greetings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A broker of its own, stopped while a change commits and started again. */
@SpringBootTest(classes = BackboneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class BrokerOutageTest {

	private static final Path logDirectory;

	private static final int port;

	private static final int controllerPort;

	private static KafkaBroker broker;

	static {
		try {
			logDirectory = Files.createTempDirectory("outage-kafka");
			port = freePort();
			controllerPort = freePort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		broker = KafkaBroker.start(port, controllerPort, logDirectory);
	}

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		BackboneTestSupport.database(registry);
		registry.add("spring.kafka.bootstrap-servers", () -> broker.bootstrapServers());
	}

	@Autowired
	Greetings greetings;

	@Autowired
	DatabaseClient db;

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@Test
	void eventCommittedWhileTheBrokerIsDownIsDeliveredAfterItReturns() {
		greetings.greet("before-outage").block();
		await().atMost(Duration.ofSeconds(60)).until(() -> BackboneTestSupport.timesSeen(db, "before-outage") == 1);

		broker.close();
		EventEnvelope during = greetings.greet("during-outage").block();
		await().atMost(Duration.ofSeconds(60)).until(() -> BackboneTestSupport.outboxAttempts(db, during.eventId()) >= 2);
		assertThat(sent(during.eventId())).isFalse();

		broker = KafkaBroker.start(port, controllerPort, logDirectory);

		await().atMost(Duration.ofSeconds(90)).until(() -> BackboneTestSupport.timesSeen(db, "during-outage") == 1);
		assertThat(sent(during.eventId())).isTrue();
		assertThat(BackboneTestSupport.timesSeen(db, "before-outage")).isEqualTo(1);
	}

	private boolean sent(UUID eventId) {
		return "sent".equals(BackboneTestSupport.outboxState(db, eventId));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
