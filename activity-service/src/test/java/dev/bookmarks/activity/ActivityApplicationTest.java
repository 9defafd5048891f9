package dev.bookmarks.activity;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.follow.UserFollowed;
import dev.bookmarks.events.follow.UserUnfollowed;
import dev.bookmarks.events.image.ImageBookmarked;
import dev.bookmarks.events.image.ImageDeleted;
import dev.bookmarks.events.image.ImageLiked;
import dev.bookmarks.events.image.ImageUnliked;
import dev.bookmarks.events.image.ImageUpdated;
import dev.bookmarks.events.user.UserProfileUpdated;
import dev.bookmarks.events.user.UserRegistered;
import dev.bookmarks.platform.outbox.EventSerializer;
import dev.bookmarks.platform.outbox.EventSerializer.PreparedEvent;
import dev.bookmarks.platform.test.ServiceContractChecks;
import dev.bookmarks.platform.test.ServiceTestProperties;
import dev.bookmarks.platform.test.TestTokenIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service on real PostgreSQL, Redis and Kafka: events produced to Kafka exactly as the
 * outbox relays them, the feed read with real signed JWTs, BlockHound failing any blocking call
 * on an event loop.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "bookmarks.activity.stream.max-connections-per-user=2", "bookmarks.activity.stream.heartbeat=1s" })
class ActivityApplicationTest extends ServiceContractChecks {

	static {
		BlockHound.install();
	}

	private static final TestTokenIssuer tokens = TestTokenIssuer.shared();

	private static final Duration WAIT = Duration.ofSeconds(30);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ServiceTestProperties.r2dbc(registry, "activity");
		ServiceTestProperties.kafka(registry);
		ServiceTestProperties.redis(registry);
		ServiceTestProperties.tokens(registry);
	}

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	EventSerializer events;

	@Autowired
	DatabaseClient db;

	@Autowired
	Environment environment;

	@Autowired
	MeterRegistry meters;

	private final JsonMapper json = JsonMapper.builder().build();

	@Override
	protected String protectedApiPath() {
		return "/api/feed";
	}

	@Test
	void aFollowersFeedShowsRegistrationsBookmarksLikesAndFollowsWithDisplayData() throws Exception {
		Person reader = person("reader");
		Person ada = person("ada");
		Person grace = person("grace");
		Instant t = now();
		register(reader, t);
		register(ada, t);
		register(grace, t);
		UUID image = UUID.randomUUID();
		publish(new UserFollowed(reader.id, reader.name, ada.id, ada.name, t.plusSeconds(1)));
		publish(new ImageBookmarked(image, ada.id, ada.name, "Sunset", "sunset", "http://img/sunset.jpg",
				t.plusSeconds(2)));
		publish(new ImageLiked(image, ada.id, ada.id, ada.name, 1, t.plusSeconds(3)));
		publish(new UserFollowed(ada.id, ada.name, grace.id, grace.name, t.plusSeconds(4)));

		// Until the follow is in: before it, the reader follows nobody and sees everyone's actions.
		List<Action> feed = awaitFeed(reader, items -> items.size() >= 4
				&& items.stream().allMatch(action -> action.actor().username().equals(ada.name)));

		assertThat(feed).extracting(Action::verb).containsExactly("followed", "liked", "bookmarked", "registered");
		assertThat(feed).allSatisfy(action -> assertThat(action.actor().username()).isEqualTo(ada.name));
		assertThat(feed.get(0).target()).isEqualTo(Map.of("type", "user", "id", grace.id.toString(), "username", grace.name));
		assertThat(feed.get(1).target()).containsEntry("type", "image")
			.containsEntry("id", image.toString())
			.containsEntry("title", "Sunset")
			.containsEntry("thumbnailUrl", "http://img/sunset.jpg");
		assertThat(feed.get(3).target()).isNull();
		assertThat(feed.get(1).createdAt()).isEqualTo(t.plusSeconds(3));

		publish(new ImageUpdated(image, ada.id, "Sunset over the sea", "sunset-over-the-sea", "", t.plusSeconds(5)));
		publish(new UserProfileUpdated(ada.id, ada.name, "Ada L", "http://img/ada.jpg", t.plusSeconds(6)));
		await().atMost(WAIT).untilAsserted(() -> {
			List<Action> now = feed(reader, "");
			assertThat(now.get(1).target()).containsEntry("title", "Sunset over the sea");
			assertThat(now).allSatisfy(action -> assertThat(action.actor().photoUrl()).isEqualTo("http://img/ada.jpg"));
		});
	}

	@Test
	void redeliveredEventsChangeNothing() throws Exception {
		Person ada = person("again");
		Instant t = now();
		UUID image = UUID.randomUUID();
		PreparedEvent registered = events.prepare(new UserRegistered(ada.id, ada.name, ada.name, null, t));
		PreparedEvent saved = events.prepare(new ImageBookmarked(image, ada.id, ada.name, "Twice", "twice", null,
				t.plusSeconds(1)));
		PreparedEvent liked = events.prepare(new ImageLiked(image, ada.id, ada.id, ada.name, 1, t.plusSeconds(2)));
		for (PreparedEvent event : List.of(registered, saved, liked, registered, saved, liked)) {
			send(event);
		}
		// The same like again under another event id (a producer that sent it twice): one occurrence.
		PreparedEvent likedAgain = events.prepare(new ImageLiked(image, ada.id, ada.id, ada.name, 1, t.plusSeconds(2)));
		send(likedAgain);
		await().atMost(WAIT).until(() -> processed(registered) && processed(saved) && processed(liked) && processed(likedAgain));

		assertThat(actionsOf(ada)).extracting(Action::verb).containsExactly("liked", "bookmarked", "registered");
		assertThat(count("SELECT count(*) FROM action WHERE actor_id = $1", ada.id)).isEqualTo(3);
	}

	/** Events are applied a poll at a time in one transaction; one bad record must not hold back or take the others. */
	@Test
	void aRecordThatCannotBeAppliedIsSetAsideAndTheRestOfItsBatchApplies() throws Exception {
		Person ada = person("batch");
		UUID image = UUID.randomUUID();
		Instant t = now();
		PreparedEvent before = events.prepare(new ImageBookmarked(image, ada.id, ada.name, "Before", "before", null, t));
		PreparedEvent after = events.prepare(new ImageLiked(image, ada.id, ada.id, ada.name, 1, t.plusSeconds(1)));
		send(before);
		kafka.send(before.topic(), image.toString(), "{\"not\": \"an event\"}");
		send(after);

		await().atMost(WAIT).until(() -> processed(before) && processed(after));
		assertThat(actionsOf(ada)).extracting(Action::verb).containsExactly("liked", "bookmarked");
	}

	@Test
	void eventsAboutPeopleAndImagesNotYetKnownAreCompletedWhenTheyArrive() throws Exception {
		Person early = person("early");
		UUID image = UUID.randomUUID();
		Instant t = now();
		// A like reaches activity-service before the liker's registration and the image's bookmark.
		publish(new ImageLiked(image, UUID.randomUUID(), early.id, early.name, 1, t.plusSeconds(10)));
		Action like = await().atMost(WAIT).ignoreExceptions().until(() -> actionsOf(early), list -> !list.isEmpty()).get(0);
		assertThat(like.actor().username()).isEqualTo(early.name);
		assertThat(like.actor().photoUrl()).isNull();
		assertThat(like.target()).containsEntry("type", "image").containsEntry("title", null);

		publish(new UserRegistered(early.id, early.name, early.name, "http://img/early.jpg", t));
		publish(new ImageBookmarked(image, UUID.randomUUID(), person("owner").name, "Found later", "found-later",
				"http://img/found.jpg", t.plusSeconds(5)));

		await().atMost(WAIT).untilAsserted(() -> {
			List<Action> actions = actionsOf(early);
			assertThat(actions).extracting(Action::verb).containsExactly("liked", "registered");
			assertThat(actions.get(0).actor().photoUrl()).isEqualTo("http://img/early.jpg");
			assertThat(actions.get(0).target()).containsEntry("title", "Found later")
				.containsEntry("thumbnailUrl", "http://img/found.jpg");
		});
	}

	@Test
	void theSameActorVerbAndTargetWithinSixtySecondsIsOneActionInAnyOrderOfArrival() throws Exception {
		Instant t = now();
		// Likes at 0 s, 30 s and 61 s: the second belongs to the first, the third starts a new action.
		Person inOrder = person("inorder");
		UUID first = UUID.randomUUID();
		for (int seconds : new int[] { 0, 30, 61 }) {
			publish(new ImageLiked(first, UUID.randomUUID(), inOrder.id, inOrder.name, 1, t.plusSeconds(seconds)));
		}
		// The same occurrences arriving newest first (a replay, a lagging partition) give the same actions.
		Person reversed = person("reversed");
		UUID second = UUID.randomUUID();
		PreparedEvent last = null;
		for (int seconds : new int[] { 61, 30, 0 }) {
			last = publish(new ImageLiked(second, UUID.randomUUID(), reversed.id, reversed.name, 1,
					t.plusSeconds(seconds)));
		}
		PreparedEvent lastOfReversed = last;
		await().atMost(WAIT).until(() -> processed(lastOfReversed) && actionsOf(inOrder).size() == 2);

		assertThat(actionsOf(inOrder)).extracting(Action::createdAt).containsExactly(t.plusSeconds(61), t);
		assertThat(actionsOf(reversed)).extracting(Action::createdAt).containsExactly(t.plusSeconds(61), t);
	}

	@Test
	void deletedImagesUnlikesAndUnfollowsVanishFromTheFeed() throws Exception {
		Person reader = person("watcher");
		Person ada = person("doer");
		Person grace = person("followed");
		Instant t = now();
		UUID deleted = UUID.randomUUID();
		UUID unliked = UUID.randomUUID();
		publish(new UserFollowed(reader.id, reader.name, ada.id, ada.name, t));
		publish(new ImageBookmarked(deleted, ada.id, ada.name, "Soon gone", "soon-gone", null, t.plusSeconds(1)));
		publish(new ImageLiked(deleted, ada.id, ada.id, ada.name, 1, t.plusSeconds(2)));
		publish(new ImageLiked(unliked, grace.id, ada.id, ada.name, 1, t.plusSeconds(3)));
		publish(new UserFollowed(ada.id, ada.name, grace.id, grace.name, t.plusSeconds(4)));
		awaitFeed(reader, items -> items.size() == 4);

		publish(new ImageDeleted(deleted, ada.id, ada.id, t.plusSeconds(5)));
		publish(new ImageUnliked(unliked, grace.id, ada.id, 0, t.plusSeconds(6)));
		publish(new UserUnfollowed(ada.id, grace.id, t.plusSeconds(7)));

		awaitFeed(reader, List::isEmpty);
		assertThat(actionsOf(ada)).isEmpty();

		// A late copy of the deleted image's like (another event id) does not bring it back; a new like of
		// the unliked image after the unlike is a new action.
		PreparedEvent late = publish(new ImageLiked(deleted, ada.id, ada.id, ada.name, 1, t.plusSeconds(8)));
		publish(new ImageLiked(unliked, grace.id, ada.id, ada.name, 1, t.plusSeconds(9)));
		List<Action> feed = awaitFeed(reader, items -> items.size() == 1);
		assertThat(processed(late)).isTrue();
		assertThat(feed.get(0).target()).containsEntry("id", unliked.toString());
		assertThat(feed.get(0).createdAt()).isEqualTo(t.plusSeconds(9));
	}

	@Test
	void anUnfollowReplayedBeforeItsFollowLeavesNoEdgeAndNoAction() throws Exception {
		Person reader = person("replay");
		Person ada = person("target");
		Instant t = now();
		PreparedEvent unfollow = publish(new UserUnfollowed(reader.id, ada.id, t.plusSeconds(5)));
		await().atMost(WAIT).until(() -> processed(unfollow));
		PreparedEvent follow = publish(new UserFollowed(reader.id, reader.name, ada.id, ada.name, t));
		await().atMost(WAIT).until(() -> processed(follow));

		assertThat(actionsOf(reader)).isEmpty();
		assertThat(count("SELECT count(*) FROM follow_edge WHERE follower_id = $1 AND following", reader.id)).isZero();
	}

	@Test
	void followingBringsRecentActionsInAtOnceAndUnfollowingTakesThemOut() throws Exception {
		Person reader = person("newfan");
		Person ada = person("known");
		Person other = person("other");
		Instant t = now();
		publish(new ImageBookmarked(UUID.randomUUID(), ada.id, ada.name, "Earlier", "earlier", null, t));
		publish(new UserFollowed(reader.id, reader.name, other.id, other.name, t.plusSeconds(1)));
		publish(new ImageBookmarked(UUID.randomUUID(), other.id, other.name, "Other's", "others", null, t.plusSeconds(2)));
		awaitFeed(reader, items -> items.size() == 1);

		publish(new UserFollowed(reader.id, reader.name, ada.id, ada.name, t.plusSeconds(3)));
		List<Action> feed = awaitFeed(reader, items -> items.size() == 2);
		assertThat(feed).extracting(action -> action.actor().username()).containsExactly(other.name, ada.name);

		publish(new UserUnfollowed(reader.id, ada.id, t.plusSeconds(4)));
		feed = awaitFeed(reader, items -> items.size() == 1);
		assertThat(feed.get(0).actor().username()).isEqualTo(other.name);
	}

	@Test
	void someoneWhoFollowsNobodySeesEveryoneElsesActionsButNeverTheirOwn() throws Exception {
		Person loner = person("loner");
		Person ada = person("anyone");
		Instant t = now();
		PreparedEvent own = publish(new UserRegistered(loner.id, loner.name, loner.name, null, t));
		PreparedEvent theirs = publish(new UserRegistered(ada.id, ada.name, ada.name, null, t));
		await().atMost(WAIT).until(() -> processed(own) && processed(theirs));

		List<Action> feed = feed(loner, "?limit=100");
		assertThat(feed).extracting(action -> action.actor().username()).contains(ada.name).doesNotContain(loner.name);
	}

	@Test
	void pagesFollowTheCursorNewestFirstWithoutGapsOrRepeats() throws Exception {
		Person reader = person("pager");
		Person ada = person("prolific");
		Instant t = now();
		publish(new UserFollowed(reader.id, reader.name, ada.id, ada.name, t));
		for (int i = 0; i < 5; i++) {
			publish(new ImageBookmarked(UUID.randomUUID(), ada.id, ada.name, "Image " + i, "image-" + i, null,
					t.plusSeconds(i + 1)));
		}
		awaitFeed(reader, items -> items.size() == 5);

		List<String> titles = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			Page page = client.get()
				.uri("/api/feed?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
				.headers(h -> h.setBearerAuth(reader.token()))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(Page.class)
				.returnResult()
				.getResponseBody();
			page.items().forEach(action -> titles.add(String.valueOf(action.target().get("title"))));
			cursor = page.nextCursor();
			pages++;
		}
		while (cursor != null);

		assertThat(titles).containsExactly("Image 4", "Image 3", "Image 2", "Image 1", "Image 0");
		assertThat(pages).isEqualTo(3);
	}

	@Test
	void theStreamPushesANewActionAndAReconnectWithLastEventIdGetsWhatItMissed() throws Exception {
		Person reader = person("live");
		Person ada = person("streamer");
		Person stranger = person("stranger");
		Instant t = now();
		publish(new UserFollowed(reader.id, reader.name, ada.id, ada.name, t));
		PreparedEvent follows = publish(new UserFollowed(reader.id, reader.name, person("someone").id, "someone", t));
		await().atMost(WAIT).until(() -> processed(follows));

		Stream stream = Stream.open(port, reader.token(), null);
		try {
			stream.awaitComment("connected");
			publish(new ImageBookmarked(UUID.randomUUID(), stranger.id, stranger.name, "Not for you", "nope", null,
					t.plusSeconds(1)));
			publish(new ImageBookmarked(UUID.randomUUID(), ada.id, ada.name, "Live", "live", null, t.plusSeconds(2)));
			ServerSentEvent<String> first = stream.nextAction();
			Action pushed = json.readValue(first.data(), Action.class);
			assertThat(pushed.verb()).isEqualTo("bookmarked");
			assertThat(pushed.target()).containsEntry("title", "Live");
			assertThat(pushed.actor().username()).isEqualTo(ada.name);
			assertThat(first.id()).isNotBlank();
			stream.awaitComment("keep-alive");
			stream.close();

			publish(new ImageBookmarked(UUID.randomUUID(), ada.id, ada.name, "Missed", "missed", null, t.plusSeconds(3)));
			awaitFeed(reader, items -> items.size() == 2);

			stream = Stream.open(port, reader.token(), first.id());
			Action missed = json.readValue(stream.nextAction().data(), Action.class);
			assertThat(missed.target()).containsEntry("title", "Missed");
		}
		finally {
			stream.close();
		}
	}

	/**
	 * Once a stream is in step, new actions reach it from the one read each dispatch makes for every
	 * stream of the instance, never from a read of its own; two streams of different people each get
	 * only their feed's actions, in commit order.
	 */
	@Test
	void streamsInStepGetNewActionsFromTheDispatchesSharedReadNotFromOwnReads() throws Exception {
		Person reader = person("shared");
		Person other = person("sharer");
		Person ada = person("sharedposter");
		Person bob = person("otherposter");
		Instant t = now();
		publish(new UserFollowed(reader.id, reader.name, ada.id, ada.name, t));
		PreparedEvent follows = publish(new UserFollowed(other.id, other.name, bob.id, bob.name, t));
		await().atMost(WAIT).until(() -> processed(follows));

		Stream mine = Stream.open(port, reader.token(), null);
		Stream theirs = Stream.open(port, other.token(), null);
		try {
			mine.awaitComment("connected");
			theirs.awaitComment("connected");
			// The first action brings both streams in step (if the instance had nothing shared yet, by a read of their own).
			publish(new ImageBookmarked(UUID.randomUUID(), ada.id, ada.name, "First", "first", null, t.plusSeconds(1)));
			publish(new ImageBookmarked(UUID.randomUUID(), bob.id, bob.name, "Bob first", "bob", null, t.plusSeconds(1)));
			assertThat(json.readValue(mine.nextAction().data(), Action.class).target()).containsEntry("title", "First");
			assertThat(json.readValue(theirs.nextAction().data(), Action.class).target())
				.containsEntry("title", "Bob first");
			double ownBefore = streamReads("own");
			double sharedBefore = streamReads("shared");

			for (int i = 0; i < 3; i++) {
				publish(new ImageBookmarked(UUID.randomUUID(), ada.id, ada.name, "Ada " + i, "ada", null,
						t.plusSeconds(2 + i)));
				publish(new ImageBookmarked(UUID.randomUUID(), bob.id, bob.name, "Bob " + i, "bob", null,
						t.plusSeconds(2 + i)));
			}
			List<String> mineGot = new ArrayList<>();
			List<String> theirsGot = new ArrayList<>();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				ServerSentEvent<String> event = mine.nextAction();
				ids.add(event.id());
				mineGot.add((String) json.readValue(event.data(), Action.class).target().get("title"));
				theirsGot.add((String) json.readValue(theirs.nextAction().data(), Action.class).target().get("title"));
			}
			assertThat(mineGot).containsExactlyInAnyOrder("Ada 0", "Ada 1", "Ada 2");
			assertThat(theirsGot).containsExactlyInAnyOrder("Bob 0", "Bob 1", "Bob 2");
			assertThat(ids).as("positions in commit order").isSortedAccordingTo(java.util.Comparator
				.comparingLong((String id) -> Long.parseLong(id.split("_")[0]))
				.thenComparing(id -> UUID.fromString(id.split("_")[1]), ActivityApplicationTest::unsignedOrder));
			assertThat(streamReads("own")).as("reads by a stream for itself").isEqualTo(ownBefore);
			assertThat(streamReads("shared")).as("reads by a dispatch for all").isGreaterThan(sharedBefore);
		}
		finally {
			mine.close();
			theirs.close();
		}
	}

	/** PostgreSQL's order of uuids: bytes, unsigned. */
	private static int unsignedOrder(UUID a, UUID b) {
		int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
		return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
	}

	private double streamReads(String kind) {
		return meters.get("bookmarks.feed.stream.reads").tag("kind", kind).counter().count();
	}

	/** Someone who follows nobody sees everyone's actions on the live feed too, but never their own. */
	@Test
	void theStreamOfSomeoneWhoFollowsNobodyCarriesEveryonesActionsButTheirOwn() throws Exception {
		Person loner = person("loner");
		Person stranger = person("passerby");
		Instant t = now();
		Stream stream = Stream.open(port, loner.token(), null);
		try {
			stream.awaitComment("connected");
			publish(new ImageBookmarked(UUID.randomUUID(), loner.id, loner.name, "My own", "own", null, t));
			PreparedEvent own = publish(
					new ImageBookmarked(UUID.randomUUID(), loner.id, loner.name, "My own too", "own", null, t));
			await().atMost(WAIT).until(() -> processed(own));
			publish(new ImageBookmarked(UUID.randomUUID(), stranger.id, stranger.name, "Theirs", "theirs", null,
					t.plusSeconds(1)));
			// Other people's actions may come first (everyone's are this feed); the loner's own never.
			Action got;
			do {
				got = json.readValue(stream.nextAction().data(), Action.class);
				assertThat(got.actor().id()).isNotEqualTo(loner.id);
			}
			while (!"Theirs".equals(got.target().get("title")));
			assertThat(got.actor().username()).isEqualTo(stranger.name);
		}
		finally {
			stream.close();
		}
	}

	/**
	 * Two instances: only the first consumes events; a stream open on the second still gets the
	 * action, told over Redis, never from the first's memory.
	 */
	@Test
	void aStreamOnAnotherInstanceGetsActionsThatInstanceDidNotApply() throws Exception {
		Person reader = person("elsewhere");
		Person ada = person("here");
		Instant t = now();
		PreparedEvent follow = publish(new UserFollowed(reader.id, reader.name, ada.id, ada.name, t));
		await().atMost(WAIT).until(() -> processed(follow));
		// Command-line arguments: they outrank application.yml, as the test's own properties do.
		String[] arguments = java.util.stream.Stream.of("server.port=0", "spring.kafka.listener.auto-startup=false",
				"spring.r2dbc.url", "spring.r2dbc.username", "spring.r2dbc.password", "spring.flyway.url",
				"spring.flyway.user", "spring.flyway.password", "spring.data.redis.url",
				"spring.kafka.bootstrap-servers", "bookmarks.security.issuer", "bookmarks.security.jwk-set-uri")
			.map(name -> "--" + (name.contains("=") ? name : name + "=" + environment.getProperty(name, "")))
			.toArray(String[]::new);
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(ActivityApplication.class)
			.run(arguments)) {
			int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
			Stream stream = Stream.open(secondPort, reader.token(), null);
			try {
				stream.awaitComment("connected");
				publish(new ImageBookmarked(UUID.randomUUID(), ada.id, ada.name, "Across", "across", null,
						t.plusSeconds(1)));
				Action pushed = json.readValue(stream.nextAction().data(), Action.class);
				assertThat(pushed.target()).containsEntry("title", "Across");
			}
			finally {
				stream.close();
			}
		}
	}

	@Test
	void moreStreamsThanAllowedPerPersonAreA429WithRetryAfter() throws Exception {
		Person reader = person("greedy");
		Stream one = Stream.open(port, reader.token(), null);
		Stream two = Stream.open(port, reader.token(), null);
		try {
			one.awaitComment("connected");
			two.awaitComment("connected");
			client.get()
				.uri("/api/feed/stream")
				.accept(MediaType.TEXT_EVENT_STREAM)
				.headers(h -> h.setBearerAuth(reader.token()))
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
				.expectHeader()
				.exists("Retry-After")
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		finally {
			one.close();
			two.close();
		}
		// Closed streams free their places.
		await().atMost(WAIT).untilAsserted(() -> {
			Stream three = Stream.open(port, reader.token(), null);
			try {
				three.awaitComment("connected");
			}
			finally {
				three.close();
			}
		});
	}

	@Test
	void theMetersCountOpenLiveFeedsAndTimeEachFeedPageRead() throws Exception {
		Person reader = person("gauged");
		long readsBefore = meters.get("bookmarks.feed.read").timer().count();
		feed(reader, "");
		feed(reader, "?limit=5");
		assertThat(meters.get("bookmarks.feed.read").timer().count() - readsBefore).isEqualTo(2);

		Stream stream = Stream.open(port, reader.token(), null);
		try {
			stream.awaitComment("connected");
			assertThat(liveFeeds()).isGreaterThanOrEqualTo(1);
		}
		finally {
			stream.close();
		}
		await().atMost(WAIT).until(() -> liveFeeds() == 0);
	}

	private double liveFeeds() {
		return meters.get("bookmarks.feed.stream.connections").gauge().value();
	}

	@Test
	void everyBadRequestIsAProblemNamingTheParameter() {
		String token = person("bad").token();
		Map<String, String> badQueries = Map.of("limit=0", "limit", "limit=101", "limit", "limit=abc", "limit",
				"cursor=%25%25%25", "cursor", "cursor=bm90LWEtY3Vyc29y", "cursor");
		for (String path : List.of("/api/feed", "/api/users/nobody-" + UUID.randomUUID() + "/actions")) {
			badQueries.forEach((query, field) -> client.get()
				.uri(path + "?" + query)
				.headers(h -> h.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.errors[0].field")
				.isEqualTo(field));
		}
		client.get()
			.uri("/api/feed/stream")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Last-Event-ID", "yesterday")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("Last-Event-ID");
		client.get()
			.uri("/api/users/nobody-" + UUID.randomUUID() + "/actions")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404);
		client.get().uri("/api/feed/stream").exchange().expectStatus().isUnauthorized();
		client.get().uri("/api/users/anyone/actions").exchange().expectStatus().isUnauthorized();
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

	// ------------------------------------------------------------------------------------------

	private record Person(UUID id, String name) {

		String token() {
			return tokens.token(id, name);
		}

	}

	record Actor(UUID id, String username, String photoUrl) {
	}

	record Action(UUID id, Actor actor, String verb, Map<String, Object> target, Instant createdAt) {
	}

	record Page(List<Action> items, String nextCursor) {
	}

	private static Person person(String name) {
		return new Person(UUID.randomUUID(), name + "-" + UUID.randomUUID().toString().substring(0, 8));
	}

	/** Event times as the producers make them: microseconds, a little in the past. */
	private static Instant now() {
		return Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
	}

	private void register(Person person, Instant at) throws Exception {
		publish(new UserRegistered(person.id, person.name, person.name, null, at));
	}

	private PreparedEvent publish(DomainEvent event) throws Exception {
		PreparedEvent prepared = events.prepare(event);
		send(prepared);
		return prepared;
	}

	private void send(PreparedEvent event) throws Exception {
		kafka.send(event.topic(), event.envelope().aggregateId(), event.json()).get(10, TimeUnit.SECONDS);
	}

	private boolean processed(PreparedEvent event) {
		return count("SELECT count(*) FROM processed_event WHERE consumer = 'actions' AND event_id = $1",
				event.envelope().eventId()) == 1;
	}

	private long count(String sql, UUID parameter) {
		return db.sql(sql).bind(0, parameter).map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5));
	}

	private List<Action> feed(Person reader, String query) {
		return client.get()
			.uri("/api/feed" + query)
			.headers(h -> h.setBearerAuth(reader.token()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Page.class)
			.returnResult()
			.getResponseBody()
			.items();
	}

	private List<Action> awaitFeed(Person reader, java.util.function.Predicate<List<Action>> condition) {
		return await().atMost(WAIT).until(() -> feed(reader, "?limit=100"), condition);
	}

	private List<Action> actionsOf(Person person) {
		return client.get()
			.uri("/api/users/{username}/actions?limit=100", person.name)
			.headers(h -> h.setBearerAuth(person.token()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Page.class)
			.returnResult()
			.getResponseBody()
			.items();
	}

	/** An SSE client: what it received, in order. */
	private static final class Stream implements AutoCloseable {

		private final BlockingQueue<ServerSentEvent<String>> received = new LinkedBlockingQueue<>();

		private final Disposable subscription;

		private Stream(int port, String token, String lastEventId) {
			this.subscription = WebClient.create("http://localhost:" + port)
				.get()
				.uri("/api/feed/stream")
				.accept(MediaType.TEXT_EVENT_STREAM)
				.headers(h -> {
					h.setBearerAuth(token);
					if (lastEventId != null) {
						h.set("Last-Event-ID", lastEventId);
					}
				})
				.retrieve()
				.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
				})
				.subscribe(received::offer);
		}

		static Stream open(int port, String token, String lastEventId) {
			return new Stream(port, token, lastEventId);
		}

		void awaitComment(String comment) throws InterruptedException {
			ServerSentEvent<String> event;
			do {
				event = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
				assertThat(event).as("a '%s' comment", comment).isNotNull();
			}
			while (!comment.equals(event.comment()));
		}

		ServerSentEvent<String> nextAction() throws InterruptedException {
			ServerSentEvent<String> event;
			do {
				event = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
				assertThat(event).as("an action").isNotNull();
			}
			while (!"action".equals(event.event()));
			return event;
		}

		@Override
		public void close() {
			subscription.dispose();
		}

	}

}
