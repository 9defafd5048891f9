package dev.bookmarks.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import dev.bookmarks.events.user.UserRegistered;
import dev.bookmarks.platform.outbox.EventSerializer;
import dev.bookmarks.platform.outbox.EventSerializer.PreparedEvent;
import dev.bookmarks.platform.test.ServiceContractChecks;
import dev.bookmarks.platform.test.ServiceTestProperties;
import dev.bookmarks.platform.test.TestTokenIssuer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * The whole service against real PostgreSQL and Kafka: user events in, the directory out, with
 * real JWT validation. BlockHound fails any request that blocks an event-loop thread.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GraphApplicationTest extends ServiceContractChecks {

	static {
		BlockHound.install();
	}

	private static final TestTokenIssuer tokens = TestTokenIssuer.shared();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ServiceTestProperties.r2dbc(registry, "graph");
		ServiceTestProperties.kafka(registry);
		ServiceTestProperties.tokens(registry);
	}

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	EventSerializer events;

	String token;

	@Override
	protected String protectedApiPath() {
		return "/api/users";
	}

	@BeforeEach
	void token() {
		token = tokens.token(UUID.randomUUID(), "reader");
	}

	@Test
	void registeredUserAppearsInTheDirectory() throws Exception {
		String username = unique("ada");
		publish(new UserRegistered(UUID.randomUUID(), username, "Ada Lovelace", null, Instant.now()));

		await().atMost(Duration.ofSeconds(30)).until(() -> listed(username));
		client.get()
			.uri("/api/users?limit=100")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[?(@.username == '%s')]".formatted(username))
			.value(matches -> org.assertj.core.api.Assertions.assertThat((java.util.List<?>) matches)
				.singleElement()
				.asString()
				.contains("displayName=Ada Lovelace", "followers=0", "following=0", "images=0", "photoUrl=null"));
	}

	@Test
	void sameRegistrationDeliveredTwiceListsTheUserOnce() throws Exception {
		String username = unique("twice");
		PreparedEvent event = events.prepare(new UserRegistered(UUID.randomUUID(), username, username, null, Instant.now()));
		kafka.send(event.topic(), event.envelope().aggregateId(), event.json()).get();
		kafka.send(event.topic(), event.envelope().aggregateId(), event.json()).get();

		await().atMost(Duration.ofSeconds(30)).until(() -> listed(username));
		client.get()
			.uri("/api/users?limit=100")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectBody()
			.jsonPath("$.items[?(@.username == '%s')]".formatted(username))
			.value(matches -> org.assertj.core.api.Assertions.assertThat((java.util.List<?>) matches).hasSize(1));
	}

	@Test
	void pagesFollowTheCursorWithoutGapsOrRepeats() throws Exception {
		String prefix = unique("page");
		for (String name : new String[] { prefix + "-a", prefix + "-b", prefix + "-c" }) {
			publish(new UserRegistered(UUID.randomUUID(), name, name, null, Instant.now()));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> listed(prefix + "-c") && listed(prefix + "-a"));

		java.util.List<String> seen = new java.util.ArrayList<>();
		String cursor = null;
		do {
			PageOfNames page = client.get()
				.uri("/api/users?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
				.headers(h -> h.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(PageOfNames.class)
				.returnResult()
				.getResponseBody();
			org.assertj.core.api.Assertions.assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
			seen.addAll(page.items().stream().map(Named::username).toList());
			cursor = page.nextCursor();
		}
		while (cursor != null);

		org.assertj.core.api.Assertions.assertThat(seen).doesNotHaveDuplicates()
			.contains(prefix + "-a", prefix + "-b", prefix + "-c")
			.isSorted();
	}

	@Test
	void forgedExpiredOrForeignTokensAreRefused() {
		UUID id = UUID.randomUUID();
		String forged = tokens.forge(tokens.claims(id, "mallory").build());
		String expired = tokens.sign(tokens.claims(id, "mallory")
			.issueTime(Date.from(Instant.now().minusSeconds(3600)))
			.expirationTime(Date.from(Instant.now().minusSeconds(1800)))
			.build());
		String otherAudience = tokens.sign(tokens.claims(id, "mallory").audience("someone-else").build());
		String otherIssuer = tokens.sign(tokens.claims(id, "mallory").issuer("http://evil.example/auth").build());

		for (String bad : new String[] { forged, expired, otherAudience, otherIssuer, "not-a-jwt" }) {
			client.get().uri("/api/users").headers(h -> h.setBearerAuth(bad)).exchange().expectStatus().isUnauthorized();
		}
	}

	@Test
	void limitOutsideOneToHundredOrForgedCursorIsA400NamingTheField() {
		for (String query : new String[] { "limit=0", "limit=101", "limit=-5" }) {
			client.get()
				.uri("/api/users?" + query)
				.headers(h -> h.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.errors[0].field")
				.isEqualTo("limit");
		}
		client.get()
			.uri("/api/users?cursor=%%%")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("cursor");
		client.get()
			.uri("/api/users?limit=abc")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void blockHoundIsWatchingTheEventLoops() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> reactor.core.publisher.Mono.fromCallable(() -> {
				Thread.sleep(1);
				return 1;
			}).subscribeOn(reactor.core.scheduler.Schedulers.parallel()).block())
			.hasCauseInstanceOf(reactor.blockhound.BlockingOperationError.class);
	}

	private boolean listed(String username) {
		PageOfNames page = client.get()
			.uri("/api/users?limit=100")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectBody(PageOfNames.class)
			.returnResult()
			.getResponseBody();
		return page != null && page.items().stream().anyMatch(user -> user.username().equals(username));
	}

	private void publish(UserRegistered registered) throws Exception {
		PreparedEvent event = events.prepare(registered);
		kafka.send(event.topic(), event.envelope().aggregateId(), event.json()).get();
	}

	private static String unique(String name) {
		return name + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	record Named(String username) {
	}

	record PageOfNames(java.util.List<Named> items, String nextCursor) {
	}

}
