package dev.bookmarks.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.user.UserProfileUpdated;
import dev.bookmarks.events.user.UserRegistered;
import dev.bookmarks.graph.directory.DirectoryUser;
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
import org.springframework.r2dbc.core.DatabaseClient;
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

	@Autowired
	DatabaseClient db;

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
	void aProfileUpdateChangesTheDisplayNameAndPhotoInTheDirectory() throws Exception {
		String username = unique("grace");
		UUID id = UUID.randomUUID();
		Instant registeredAt = Instant.parse("2026-01-01T10:00:00Z");
		publish(new UserRegistered(id, username, username, null, registeredAt));
		String photoUrl = "http://bookmarks.test/media/avatars/" + "ab".repeat(32) + ".jpg";

		publish(new UserProfileUpdated(id, username, "Grace Hopper", photoUrl, registeredAt.plusSeconds(60)));

		await().atMost(Duration.ofSeconds(30)).until(() -> "Grace Hopper".equals(displayNameOf(username)));
		org.assertj.core.api.Assertions.assertThat(directoryUser(username).photoUrl()).isEqualTo(photoUrl);
	}

	@Test
	void anOlderOrRepeatedProfileUpdateChangesNothing() throws Exception {
		String username = unique("late");
		UUID id = UUID.randomUUID();
		Instant registeredAt = Instant.parse("2026-01-01T10:00:00Z");
		publish(new UserRegistered(id, username, username, null, registeredAt));
		PreparedEvent newer = events.prepare(new UserProfileUpdated(id, username, "Newer Name", "http://x/new.jpg",
				registeredAt.plusSeconds(120)));
		kafka.send(newer.topic(), newer.envelope().aggregateId(), newer.json()).get();
		await().atMost(Duration.ofSeconds(30)).until(() -> "Newer Name".equals(displayNameOf(username)));

		// Delivered late: an update made before the newer one, then the newer one again.
		PreparedEvent older = events.prepare(new UserProfileUpdated(id, username, "Older Name", "http://x/old.jpg",
				registeredAt.plusSeconds(60)));
		kafka.send(older.topic(), older.envelope().aggregateId(), older.json()).get();
		kafka.send(newer.topic(), newer.envelope().aggregateId(), newer.json()).get();
		PreparedEvent sameTime = events.prepare(new UserProfileUpdated(id, username, "Same Time", null,
				registeredAt.plusSeconds(120)));
		kafka.send(sameTime.topic(), sameTime.envelope().aggregateId(), sameTime.json()).get();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> processed(older.envelope().eventId()) && processed(sameTime.envelope().eventId()));

		DirectoryUser user = directoryUser(username);
		org.assertj.core.api.Assertions.assertThat(user.displayName()).isEqualTo("Newer Name");
		org.assertj.core.api.Assertions.assertThat(user.photoUrl()).isEqualTo("http://x/new.jpg");
	}

	@Test
	void aProfileUpdateThatOvertookTheRegistrationIsKept() throws Exception {
		String username = unique("early");
		UUID id = UUID.randomUUID();
		Instant registeredAt = Instant.parse("2026-01-01T10:00:00Z");
		PreparedEvent registration = events.prepare(new UserRegistered(id, username, username, null, registeredAt));

		publish(new UserProfileUpdated(id, username, "Early Bird", null, registeredAt.plusSeconds(30)));
		await().atMost(Duration.ofSeconds(30)).until(() -> "Early Bird".equals(displayNameOf(username)));
		kafka.send(registration.topic(), registration.envelope().aggregateId(), registration.json()).get();
		await().atMost(Duration.ofSeconds(30)).until(() -> processed(registration.envelope().eventId()));

		org.assertj.core.api.Assertions.assertThat(displayNameOf(username)).isEqualTo("Early Bird");
		org.assertj.core.api.Assertions.assertThat(db.sql("SELECT registered_at FROM directory_user WHERE id = $1")
			.bind(0, id)
			.map(row -> row.get(0, java.time.OffsetDateTime.class).toInstant())
			.one()
			.block()).isEqualTo(registeredAt);
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

	private void publish(DomainEvent domainEvent) throws Exception {
		PreparedEvent event = events.prepare(domainEvent);
		kafka.send(event.topic(), event.envelope().aggregateId(), event.json()).get();
	}

	private DirectoryUser directoryUser(String username) {
		PageOfUsers page = client.get()
			.uri("/api/users?limit=100")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PageOfUsers.class)
			.returnResult()
			.getResponseBody();
		return page.items().stream().filter(user -> user.username().equals(username)).findFirst().orElse(null);
	}

	private String displayNameOf(String username) {
		DirectoryUser user = directoryUser(username);
		return user == null ? null : user.displayName();
	}

	/** Whether the directory consumer has applied (or knowingly skipped) the event. */
	private boolean processed(UUID eventId) {
		return Boolean.TRUE.equals(db
			.sql("SELECT EXISTS (SELECT 1 FROM processed_event WHERE consumer = 'user-directory' AND event_id = $1)")
			.bind(0, eventId)
			.map(row -> row.get(0, Boolean.class))
			.one()
			.block(Duration.ofSeconds(5)));
	}

	private static String unique(String name) {
		return name + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	record Named(String username) {
	}

	record PageOfUsers(java.util.List<DirectoryUser> items, String nextCursor) {
	}

	record PageOfNames(java.util.List<Named> items, String nextCursor) {
	}

}
