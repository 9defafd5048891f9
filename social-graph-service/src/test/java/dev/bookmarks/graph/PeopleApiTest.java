package dev.bookmarks.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.bookmarks.devinfra.TestInfrastructure;
import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.follow.UserFollowed;
import dev.bookmarks.events.follow.UserUnfollowed;
import dev.bookmarks.events.image.ImageBookmarked;
import dev.bookmarks.events.image.ImageDeleted;
import dev.bookmarks.events.user.UserProfileUpdated;
import dev.bookmarks.events.user.UserRegistered;
import dev.bookmarks.graph.directory.DirectoryUser;
import dev.bookmarks.graph.directory.UserProfile;
import dev.bookmarks.platform.consumer.EventReader;
import dev.bookmarks.platform.outbox.EventSerializer;
import dev.bookmarks.platform.outbox.EventSerializer.PreparedEvent;
import dev.bookmarks.platform.test.DeadLetters;
import dev.bookmarks.platform.test.ServiceTestProperties;
import dev.bookmarks.platform.test.TestTokenIssuer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The people API on real PostgreSQL and Kafka with real signed tokens: following, counts, the
 * follow events on the wire, image counts from image events, and events arriving in any order.
 * BlockHound fails any request that blocks an event-loop thread.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PeopleApiTest {

	static {
		BlockHound.install();
	}

	private static final TestTokenIssuer tokens = TestTokenIssuer.shared();

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ServiceTestProperties.r2dbc(registry, "graph");
		ServiceTestProperties.kafka(registry);
		ServiceTestProperties.tokens(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	EventSerializer events;

	@Autowired
	EventReader reader;

	@Autowired
	DatabaseClient db;

	@Autowired
	org.springframework.transaction.reactive.TransactionalOperator tx;

	WebTestClient client;

	@BeforeEach
	void client() {
		client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(20)).build();
	}

	@Test
	void followingTwiceMakesOneEdgeAndSendsOneEventAndUnfollowingTwiceOneMore() {
		Person ada = register("ada");
		Person bob = register("bob");

		change(HttpMethod.PUT, bob, "/api/users/" + ada.username() + "/follow").isNoContent();
		change(HttpMethod.PUT, bob, "/api/users/" + ada.username() + "/follow").isNoContent();

		UserProfile adaSeenByBob = profile(bob, ada.username());
		assertThat(adaSeenByBob.followers()).isEqualTo(1);
		assertThat(adaSeenByBob.followedByMe()).isTrue();
		assertThat(profile(ada, bob.username()).following()).isEqualTo(1);
		assertThat(profile(ada, bob.username()).followedByMe()).isFalse();

		change(HttpMethod.DELETE, bob, "/api/users/" + ada.username() + "/follow").isNoContent();
		change(HttpMethod.DELETE, bob, "/api/users/" + ada.username() + "/follow").isNoContent();

		assertThat(profile(bob, ada.username()).followers()).isZero();
		assertThat(profile(bob, ada.username()).followedByMe()).isFalse();
		assertThat(profile(ada, bob.username()).following()).isZero();

		// Both events of bob's key, in order, up to the unfollow: exactly one of each.
		List<EventEnvelope> sent = followEventsOf(bob.id(), UserUnfollowed.TYPE);
		assertThat(sent).extracting(EventEnvelope::type).containsExactly(UserFollowed.TYPE, UserUnfollowed.TYPE);
		UserFollowed followed = reader.payload(sent.get(0), UserFollowed.class);
		assertThat(followed.followerId()).isEqualTo(bob.id());
		assertThat(followed.followerUsername()).isEqualTo(bob.username());
		assertThat(followed.followeeId()).isEqualTo(ada.id());
		assertThat(followed.followeeUsername()).isEqualTo(ada.username());
		UserUnfollowed unfollowed = reader.payload(sent.get(1), UserUnfollowed.class);
		assertThat(unfollowed.followerId()).isEqualTo(bob.id());
		assertThat(unfollowed.followeeId()).isEqualTo(ada.id());
		assertThat(unfollowed.unfollowedAt()).isAfterOrEqualTo(followed.followedAt());
	}

	@Test
	void followingYourselfIsA400ProblemAndChangesNothing() {
		Person ada = register("self");
		Person sameIdOtherCase = new Person(ada.id(), ada.username().toUpperCase());
		// The same person by name, and by id under a name that differs in case.
		for (Person caller : List.of(ada, sameIdOtherCase)) {
			for (HttpMethod method : List.of(HttpMethod.PUT, HttpMethod.DELETE)) {
				change(method, caller, "/api/users/" + ada.username() + "/follow").isBadRequest()
					.expectHeader()
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.expectBody()
					.jsonPath("$.status")
					.isEqualTo(400)
					.jsonPath("$.errors[0].field")
					.isEqualTo("username");
			}
		}
		UserProfile self = profile(ada, ada.username());
		assertThat(self.followers()).isZero();
		assertThat(self.following()).isZero();
		assertThat(self.followedByMe()).isFalse();
	}

	@Test
	void anUnknownOrNotYetRegisteredUserIsA404Problem() {
		Person ada = register("seeker");
		Person early = new Person(UUID.randomUUID(), unique("early"));
		// early has a placeholder row (they followed someone) but no registration yet: not found either.
		change(HttpMethod.PUT, early, "/api/users/" + ada.username() + "/follow").isNoContent();

		for (String username : List.of(unique("nobody"), early.username())) {
			for (HttpMethod method : List.of(HttpMethod.PUT, HttpMethod.DELETE)) {
				problem(change(method, ada, "/api/users/" + username + "/follow").isNotFound(), 404);
			}
			for (String path : List.of("", "/followers", "/following")) {
				problem(client.get()
					.uri("/api/users/" + username + path)
					.headers(h -> h.setBearerAuth(ada.token()))
					.exchange()
					.expectStatus()
					.isNotFound(), 404);
			}
		}
	}

	@Test
	void everyPeopleCallWithoutAValidTokenIsA401Problem() {
		Person ada = register("guarded");
		String forged = tokens.forge(tokens.claims(ada.id(), ada.username()).build());
		for (String token : new String[] { null, forged }) {
			for (HttpMethod method : List.of(HttpMethod.PUT, HttpMethod.DELETE)) {
				problem(client.method(method)
					.uri("/api/users/" + ada.username() + "/follow")
					.headers(h -> {
						if (token != null) {
							h.setBearerAuth(token);
						}
					})
					.exchange()
					.expectStatus()
					.isUnauthorized(), 401);
			}
			for (String path : List.of("/api/users", "/api/users/" + ada.username(),
					"/api/users/" + ada.username() + "/followers", "/api/users/" + ada.username() + "/following")) {
				problem(client.get().uri(path).headers(h -> {
					if (token != null) {
						h.setBearerAuth(token);
					}
				}).exchange().expectStatus().isUnauthorized(), 401);
			}
		}
		assertThat(edgesTo(ada.id())).isZero();
	}

	@Test
	void fiftyConcurrentFollowsOfOnePersonCountFifty() {
		Person star = register("star");
		// Fifty people whose registrations have not arrived: each follow also makes their placeholder.
		List<Person> fans = IntStream.range(0, 50).mapToObj(i -> new Person(UUID.randomUUID(), unique("fan"))).toList();

		List<Integer> statuses = concurrently(fans.stream()
			.map(fan -> new Call(HttpMethod.PUT, fan, "/api/users/" + star.username() + "/follow"))
			.toList());

		assertThat(statuses).hasSize(50).containsOnly(204);
		assertThat(profile(star, star.username()).followers()).isEqualTo(50);
		assertThat(edgesTo(star.id())).isEqualTo(50);
		for (Person fan : fans.subList(0, 5)) {
			assertThat(counts(fan.id())[1]).isEqualTo(1);
		}
	}

	@Test
	void concurrentFollowsUnfollowsAndMutualFollowsEndWithCountsThatMatchTheEdges() {
		Person star = register("hub");
		List<Person> people = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			people.add(register("peer"));
		}
		// Each peer follows and unfollows the hub at once, while the hub follows each peer back:
		// rows locked from both sides at the same time, and edges racing their own removal.
		List<Call> calls = new ArrayList<>();
		for (Person peer : people) {
			calls.add(new Call(HttpMethod.PUT, peer, "/api/users/" + star.username() + "/follow"));
			calls.add(new Call(HttpMethod.PUT, star, "/api/users/" + peer.username() + "/follow"));
			calls.add(new Call(HttpMethod.DELETE, peer, "/api/users/" + star.username() + "/follow"));
			calls.add(new Call(HttpMethod.PUT, peer, "/api/users/" + star.username() + "/follow"));
		}

		assertThat(concurrently(calls)).containsOnly(204);

		long[] hub = counts(star.id());
		assertThat(hub[0]).isEqualTo(edgesTo(star.id()));
		assertThat(hub[1]).isEqualTo(edgesFrom(star.id())).isEqualTo(12);
		for (Person peer : people) {
			long[] peerCounts = counts(peer.id());
			assertThat(peerCounts[0]).isEqualTo(edgesTo(peer.id())).isEqualTo(1);
			assertThat(peerCounts[1]).isEqualTo(edgesFrom(peer.id()));
		}
	}

	@Test
	void redeliveredImageEventsCountOnceAndDeletionsNeverGoBelowZero() throws Exception {
		Person ada = register("painter");
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		PreparedEvent bookmarkedFirst = events.prepare(bookmarked(first, ada));
		send(bookmarkedFirst);
		send(bookmarkedFirst);
		send(bookmarked(second, ada));
		PreparedEvent deletedFirst = events.prepare(new ImageDeleted(first, ada.id(), ada.id(), Instant.now()));
		send(deletedFirst);
		send(deletedFirst);
		await().atMost(PATIENCE).until(() -> processed("directory-images", deletedFirst.envelope().eventId()));
		assertThat(profile(ada, ada.username()).images()).isEqualTo(1);

		// Two distinct deletions of the second image (say its bookmarking was never seen twice):
		// the count stops at zero and the consumer keeps going.
		send(new ImageDeleted(second, ada.id(), ada.id(), Instant.now()));
		PreparedEvent again = events.prepare(new ImageDeleted(second, ada.id(), ada.id(), Instant.now()));
		send(again);
		await().atMost(PATIENCE).until(() -> processed("directory-images", again.envelope().eventId()));
		assertThat(profile(ada, ada.username()).images()).isZero();
	}

	@Test
	void imageEventsArrivingTogetherCountAsOneByOneAndAnUnreadableOneIsDeadLetteredAlone() throws Exception {
		Person ada = register("collector");
		Person eve = new Person(UUID.randomUUID(), unique("eve"));
		// One key, so one partition and (mostly) one poll: the batch path. Redeliveries, deletions
		// past zero, an owner not registered yet.
		String key = ada.id().toString();
		List<PreparedEvent> batch = new ArrayList<>();
		batch.add(events.prepare(new ImageDeleted(UUID.randomUUID(), ada.id(), ada.id(), Instant.now())));
		for (int i = 0; i < 5; i++) {
			batch.add(events.prepare(bookmarked(UUID.randomUUID(), ada)));
		}
		batch.add(batch.get(3));
		batch.add(events.prepare(bookmarked(UUID.randomUUID(), eve)));
		batch.add(events.prepare(new ImageDeleted(UUID.randomUUID(), ada.id(), ada.id(), Instant.now())));
		batch.add(events.prepare(bookmarked(UUID.randomUUID(), eve)));
		batch.forEach(event -> kafka.send(Topics.IMAGE_EVENTS, key, event.json()));
		kafka.flush();
		await().atMost(PATIENCE).until(() -> processed("directory-images", batch.get(batch.size() - 1).envelope().eventId()));

		// ada: 0 (a deletion of nothing stays 0), + 5 images (one of them twice), - 1 = 4.
		assertThat(profile(ada, ada.username()).images()).isEqualTo(4);
		assertThat(count("SELECT images FROM directory_user WHERE id = $1", eve.id())).isEqualTo(2);

		// A record that cannot be read, in the middle of others: dead-lettered alone, the rest count.
		String poison = "{\"eventId\": \"" + UUID.randomUUID() + "\", \"type\": \"ImageDeleted\", \"version\": 1,"
				+ " \"payload\": {\"imageId\": \"not a uuid\"}}";
		PreparedEvent before = events.prepare(bookmarked(UUID.randomUUID(), ada));
		PreparedEvent after = events.prepare(bookmarked(UUID.randomUUID(), ada));
		kafka.send(Topics.IMAGE_EVENTS, key, before.json());
		kafka.send(Topics.IMAGE_EVENTS, key, poison);
		kafka.send(Topics.IMAGE_EVENTS, key, after.json());
		kafka.flush();
		await().atMost(PATIENCE).until(() -> processed("directory-images", after.envelope().eventId()));
		assertThat(profile(ada, ada.username()).images()).isEqualTo(6);
		assertThat(DeadLetters.of(Topics.IMAGE_EVENTS, key, PATIENCE)).containsExactly(poison);
	}

	@Test
	void followsAndImagesBeforeTheRegistrationAreKeptAndTheRegistrationCompletesThem() throws Exception {
		Person star = register("idol");
		Person carol = new Person(UUID.randomUUID(), unique("carol"));

		// Carol's token works before her registration reached this service.
		change(HttpMethod.PUT, carol, "/api/users/" + star.username() + "/follow").isNoContent();
		PreparedEvent image = events.prepare(bookmarked(UUID.randomUUID(), carol));
		send(image);
		await().atMost(PATIENCE).until(() -> processed("directory-images", image.envelope().eventId()));

		assertThat(profile(star, star.username()).followers()).isEqualTo(1);
		client.get().uri("/api/users/" + carol.username()).headers(h -> h.setBearerAuth(star.token())).exchange()
			.expectStatus().isNotFound();
		assertThat(followers(star, star.username(), "")).isEmpty();
		assertThat(listedNames(star)).doesNotContain(carol.username());

		PreparedEvent registration = events.prepare(new UserRegistered(carol.id(), carol.username(), "Carol Shaw",
				"http://x/carol.jpg", Instant.parse("2026-01-01T10:00:00Z")));
		send(registration);
		await().atMost(PATIENCE).until(() -> processed("user-directory", registration.envelope().eventId()));

		UserProfile completed = profile(star, carol.username());
		assertThat(completed.id()).isEqualTo(carol.id());
		assertThat(completed.displayName()).isEqualTo("Carol Shaw");
		assertThat(completed.photoUrl()).isEqualTo("http://x/carol.jpg");
		assertThat(completed.following()).isEqualTo(1);
		assertThat(completed.images()).isEqualTo(1);
		assertThat(followers(star, star.username(), "")).extracting(DirectoryUser::username).containsExactly(carol.username());
		assertThat(listedNames(star)).contains(carol.username());

		// The registration again (a retried publish, so a new event id) resets nothing.
		PreparedEvent retried = events.prepare(new UserRegistered(carol.id(), carol.username(), "Carol Shaw",
				"http://x/carol.jpg", Instant.parse("2026-01-01T10:00:00Z")));
		send(retried);
		await().atMost(PATIENCE).until(() -> processed("user-directory", retried.envelope().eventId()));
		assertThat(profile(star, carol.username()).following()).isEqualTo(1);
		assertThat(profile(star, carol.username()).images()).isEqualTo(1);
	}

	@Test
	void aProfileUpdateBeforeTheRegistrationAlsoCompletesAPlaceholder() throws Exception {
		Person dan = new Person(UUID.randomUUID(), unique("dan"));
		PreparedEvent image = events.prepare(bookmarked(UUID.randomUUID(), dan));
		send(image);
		await().atMost(PATIENCE).until(() -> processed("directory-images", image.envelope().eventId()));

		Instant registeredAt = Instant.parse("2026-01-01T10:00:00Z");
		send(new UserProfileUpdated(dan.id(), dan.username(), "Dan Newer", null, registeredAt.plusSeconds(60)));
		await().atMost(PATIENCE).until(() -> client.get().uri("/api/users/" + dan.username())
			.headers(h -> h.setBearerAuth(dan.token())).exchange().returnResult(Void.class).getStatus().value() == 200);
		PreparedEvent registration = events.prepare(new UserRegistered(dan.id(), dan.username(), "Dan Older", null,
				registeredAt));
		send(registration);
		await().atMost(PATIENCE).until(() -> processed("user-directory", registration.envelope().eventId()));

		UserProfile shown = profile(dan, dan.username());
		assertThat(shown.displayName()).isEqualTo("Dan Newer");
		assertThat(shown.images()).isEqualTo(1);
	}

	@Test
	void followListsShowTheNewestFollowFirstAndPageWithoutGapsOrRepeats() {
		Person star = register("center");
		List<Person> fans = List.of(register("first"), register("second"), register("third"));
		for (Person fan : fans) {
			change(HttpMethod.PUT, fan, "/api/users/" + star.username() + "/follow").isNoContent();
			change(HttpMethod.PUT, star, "/api/users/" + fan.username() + "/follow").isNoContent();
		}
		List<String> newestFirst = List.of(fans.get(2).username(), fans.get(1).username(), fans.get(0).username());

		for (String list : List.of("/followers", "/following")) {
			Page page = page(star, "/api/users/" + star.username() + list + "?limit=2");
			assertThat(page.items()).extracting(DirectoryUser::username).containsExactlyElementsOf(newestFirst.subList(0, 2));
			assertThat(page.nextCursor()).isNotNull();
			Page rest = page(star, "/api/users/" + star.username() + list + "?limit=2&cursor=" + page.nextCursor());
			assertThat(rest.items()).extracting(DirectoryUser::username).containsExactly(newestFirst.get(2));
			assertThat(rest.nextCursor()).isNull();
		}
		DirectoryUser shown = followers(star, star.username(), "").get(0);
		assertThat(shown.followers()).isEqualTo(1);
		assertThat(shown.following()).isEqualTo(1);
	}

	@Test
	void usersHaveTheDocumentedShapeOnEveryList() {
		Person ada = register("shape");
		Person bob = register("shaper");
		change(HttpMethod.PUT, bob, "/api/users/" + ada.username() + "/follow").isNoContent();
		List<String> user = List.of("id", "username", "displayName", "photoUrl", "followers", "following", "images");

		Map<?, ?> profile = client.get().uri("/api/users/" + ada.username()).headers(h -> h.setBearerAuth(bob.token()))
			.exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
		assertThat(keys(profile)).containsExactlyInAnyOrderElementsOf(
				java.util.stream.Stream.concat(user.stream(), java.util.stream.Stream.of("followedByMe")).toList());
		assertThat(profile.get("followedByMe")).isEqualTo(true);
		for (String path : List.of("/api/users?limit=1", "/api/users/" + ada.username() + "/followers",
				"/api/users/" + bob.username() + "/following")) {
			Map<?, ?> page = client.get().uri(path).headers(h -> h.setBearerAuth(bob.token()))
				.exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
			assertThat(keys(page)).as(path).containsExactlyInAnyOrder("items", "nextCursor");
			assertThat(keys((Map<?, ?>) ((List<?>) page.get("items")).get(0))).as(path)
				.containsExactlyInAnyOrderElementsOf(user);
		}
	}

	@Test
	void badLimitsAndCursorsAreProblemsNamingTheParameter() {
		Person ada = register("strict");
		String forgedPosition = java.util.Base64.getUrlEncoder().encodeToString("yesterday_someone".getBytes());
		for (String path : List.of("/api/users", "/api/users/" + ada.username() + "/followers",
				"/api/users/" + ada.username() + "/following")) {
			for (String query : List.of("limit=0", "limit=101", "limit=-5", "limit=abc", "limit=1.5")) {
				badParameter(ada, path + "?" + query, "limit");
			}
			badParameter(ada, path + "?cursor=%%%", "cursor");
		}
		badParameter(ada, "/api/users/" + ada.username() + "/followers?cursor=" + forgedPosition, "cursor");
		badParameter(ada, "/api/users/" + ada.username() + "/following?cursor=" + forgedPosition, "cursor");
	}

	@Test
	void theListsAreServedFromIndexes() {
		// With sequential scans, bitmap scans and sorts priced out, each query must still find an index
		// that gives its rows in page order.
		for (String sql : List.of(
				"SELECT u.id FROM directory_user u WHERE u.active AND NOT u.placeholder AND u.username > 'a' ORDER BY u.username LIMIT 21",
				"SELECT u.id FROM directory_user u WHERE lower(u.username) = lower('ada') AND NOT u.placeholder AND u.active",
				"SELECT f.follower_id FROM follow f JOIN directory_user u ON u.id = f.follower_id WHERE f.followee_id = '"
						+ UUID.randomUUID() + "' AND (f.followed_at, f.follower_id) < (now(), '" + UUID.randomUUID()
						+ "') ORDER BY f.followed_at DESC, f.follower_id DESC LIMIT 21",
				"SELECT f.followee_id FROM follow f JOIN directory_user u ON u.id = f.followee_id WHERE f.follower_id = '"
						+ UUID.randomUUID() + "' ORDER BY f.followed_at DESC, f.followee_id DESC LIMIT 21")) {
			String plan = db.sql("SET LOCAL enable_seqscan = off")
				.then()
				.then(db.sql("SET LOCAL enable_bitmapscan = off").then())
				.then(db.sql("SET LOCAL enable_sort = off").then())
				.thenMany(db.sql("EXPLAIN " + sql).map(row -> row.get(0, String.class)).all())
				.as(tx::transactional)
				.collectList()
				.map(lines -> String.join("\n", lines))
				.block(Duration.ofSeconds(10));
			assertThat(plan).as(sql).doesNotContain("Seq Scan").doesNotContain("Sort");
		}
	}

	// --- helpers -------------------------------------------------------------------------------

	record Person(UUID id, String username) {

		String token() {
			return tokens.token(id, username);
		}

	}

	record Call(HttpMethod method, Person caller, String path) {
	}

	record Page(List<DirectoryUser> items, String nextCursor) {
	}

	/** Registers a person through the user topic and waits until the directory lists them. */
	private Person register(String name) {
		Person person = new Person(UUID.randomUUID(), unique(name));
		send(new UserRegistered(person.id(), person.username(), person.username(), null, Instant.now()));
		await().atMost(PATIENCE).until(() -> client.get().uri("/api/users/" + person.username())
			.headers(h -> h.setBearerAuth(person.token())).exchange().returnResult(Void.class).getStatus().value() == 200);
		return person;
	}

	private org.springframework.test.web.reactive.server.StatusAssertions change(HttpMethod method, Person caller, String path) {
		return client.method(method).uri(path).headers(h -> h.setBearerAuth(caller.token())).exchange().expectStatus();
	}

	private UserProfile profile(Person viewer, String username) {
		return client.get()
			.uri("/api/users/" + username)
			.headers(h -> h.setBearerAuth(viewer.token()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(UserProfile.class)
			.returnResult()
			.getResponseBody();
	}

	private Page page(Person viewer, String uri) {
		return client.get()
			.uri(uri)
			.headers(h -> h.setBearerAuth(viewer.token()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Page.class)
			.returnResult()
			.getResponseBody();
	}

	private List<DirectoryUser> followers(Person viewer, String username, String query) {
		return page(viewer, "/api/users/" + username + "/followers?limit=100" + query).items();
	}

	private List<String> listedNames(Person viewer) {
		List<String> names = new ArrayList<>();
		String cursor = null;
		do {
			Page page = page(viewer, "/api/users?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
			page.items().forEach(user -> names.add(user.username()));
			cursor = page.nextCursor();
		}
		while (cursor != null);
		return names;
	}

	private void badParameter(Person caller, String uri, String parameter) {
		client.get()
			.uri(uri)
			.headers(h -> h.setBearerAuth(caller.token()))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.errors[0].field")
			.isEqualTo(parameter);
	}

	private static List<String> keys(Map<?, ?> json) {
		return json.keySet().stream().map(String::valueOf).toList();
	}

	private static void problem(WebTestClient.ResponseSpec response, int status) {
		response.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody().jsonPath("$.status").isEqualTo(status);
	}

	/** Sends all calls at once (not one after the other) and returns their statuses. */
	private List<Integer> concurrently(List<Call> calls) {
		WebClient web = WebClient.create("http://localhost:" + port);
		return Flux.fromIterable(calls)
			.flatMap(call -> web.method(call.method())
				.uri(call.path())
				.headers(h -> h.setBearerAuth(call.caller().token()))
				.exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())), calls.size())
			.collectList()
			.block(Duration.ofSeconds(60));
	}

	/** {followers, following} as stored. */
	private long[] counts(UUID id) {
		return db.sql("SELECT followers, following FROM directory_user WHERE id = $1")
			.bind(0, id)
			.map(row -> new long[] { row.get(0, Long.class), row.get(1, Long.class) })
			.one()
			.block(Duration.ofSeconds(5));
	}

	private long edgesTo(UUID id) {
		return count("SELECT count(*) FROM follow WHERE followee_id = $1", id);
	}

	private long edgesFrom(UUID id) {
		return count("SELECT count(*) FROM follow WHERE follower_id = $1", id);
	}

	private long count(String sql, UUID id) {
		return db.sql(sql).bind(0, id).map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5));
	}

	private boolean processed(String consumer, UUID eventId) {
		return Boolean.TRUE.equals(db
			.sql("SELECT EXISTS (SELECT 1 FROM processed_event WHERE consumer = $1 AND event_id = $2)")
			.bind(0, consumer)
			.bind(1, eventId)
			.map(row -> row.get(0, Boolean.class))
			.one()
			.block(Duration.ofSeconds(5)));
	}

	/** The follow events keyed by this follower, in topic order, up to the first of the given type. */
	private List<EventEnvelope> followEventsOf(UUID followerId, String lastType) {
		Map<String, Object> config = Map.of("bootstrap.servers", TestInfrastructure.kafka().bootstrapServers(), "group.id",
				"reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest", "key.deserializer", StringDeserializer.class,
				"value.deserializer", StringDeserializer.class);
		List<EventEnvelope> seen = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
			consumer.subscribe(List.of(Topics.FOLLOW_EVENTS));
			long deadline = System.nanoTime() + PATIENCE.toNanos();
			while (System.nanoTime() < deadline) {
				for (var record : consumer.poll(Duration.ofMillis(200))) {
					if (followerId.toString().equals(record.key())) {
						EventEnvelope envelope = reader.envelope(record.value());
						seen.add(envelope);
						if (envelope.type().equals(lastType)) {
							return seen;
						}
					}
				}
			}
		}
		throw new AssertionError("No " + lastType + " of " + followerId + " on " + Topics.FOLLOW_EVENTS + "; saw " + seen);
	}

	private static ImageBookmarked bookmarked(UUID imageId, Person owner) {
		return new ImageBookmarked(imageId, owner.id(), owner.username(), "A picture", "a-picture",
				"http://bookmarks.test/media/images/x.jpg", Instant.now());
	}

	private void send(DomainEvent event) {
		send(events.prepare(event));
	}

	private void send(PreparedEvent event) {
		try {
			kafka.send(event.topic(), event.envelope().aggregateId(), event.json()).get(10, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String unique(String name) {
		return name + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
