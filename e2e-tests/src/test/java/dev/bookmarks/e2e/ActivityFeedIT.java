package dev.bookmarks.e2e;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The activity feed on the whole local stack, through the gateway: two people register, one
 * follows the other, the other saves and likes a picture, and the first sees both in the feed,
 * and live on a Server-Sent Events stream that resumes from Last-Event-ID after a reconnect.
 */
class ActivityFeedIT {

	private static LocalStack stack;

	private static com.sun.net.httpserver.HttpServer site;

	private final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void startTheStack() throws Exception {
		stack = LocalStack.start();
		site = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.2", stack.picturePort()), 0);
		site.createContext("/", exchange -> {
			byte[] png = picture(exchange.getRequestURI().getPath().hashCode());
			exchange.getResponseHeaders().set("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, png.length);
			exchange.getResponseBody().write(png);
			exchange.close();
		});
		site.start();
	}

	@AfterAll
	static void stopTheStack() throws Exception {
		if (site != null) {
			site.stop(0);
		}
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void aFollowerSeesTheSavedAndLikedPictureOfThePersonTheyFollow() throws Exception {
		Account reader = register("reader");
		Account ada = register("ada");
		follow(reader, ada);

		String imageId = save(ada, "Harbour at dawn");
		HttpResponse<String> liked = ada.client.put("/api/images/" + imageId + "/like", ada.token);
		assertThat(liked.statusCode()).as(liked.body()).isEqualTo(204);

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			HttpResponse<String> feed = reader.client.get("/api/feed", reader.token);
			assertThat(feed.statusCode()).as(feed.body()).isEqualTo(200);
			List<String> seen = new ArrayList<>();
			for (JsonNode action : reader.client.json(feed).get("items")) {
				assertThat(action.get("actor").get("username").asString()).isEqualTo(ada.username);
				if (action.get("target").isObject()) {
					assertThat(action.get("target").get("id").asString()).isEqualTo(imageId);
					assertThat(action.get("target").get("title").asString()).isEqualTo("Harbour at dawn");
					assertThat(action.get("target").get("thumbnailUrl").asString()).startsWith(stack.origin() + "/media/");
				}
				seen.add(action.get("verb").asString());
			}
			assertThat(seen).containsExactly("liked", "bookmarked", "registered");
		});
		HttpResponse<String> adasActions = reader.client.get("/api/users/" + ada.username + "/actions", reader.token);
		assertThat(adasActions.statusCode()).isEqualTo(200);
		assertThat(reader.client.json(adasActions).get("items").size()).isEqualTo(3);
	}

	@Test
	void aStreamThroughTheGatewayGetsANewActionAndResumesFromLastEventId() throws Exception {
		Account reader = register("watcher");
		Account ada = register("streamer");
		follow(reader, ada);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
			HttpResponse<String> feed = reader.client.get("/api/feed", reader.token);
			return feed.statusCode() == 200 && feed.body().contains("\"registered\"")
					&& feed.body().contains(ada.username);
		});

		String lastEventId;
		try (EventStream stream = EventStream.open(stack.origin(), reader.token, null)) {
			assertThat(stream.response.headers().firstValue("Content-Type")).hasValueSatisfying(
					type -> assertThat(type).startsWith("text/event-stream"));
			stream.awaitComment("connected");
			String imageId = save(ada, "Live through the gateway");
			Event event = stream.nextAction();
			JsonNode action = json.readTree(event.data);
			assertThat(action.get("verb").asString()).isEqualTo("bookmarked");
			assertThat(action.get("target").get("id").asString()).isEqualTo(imageId);
			lastEventId = event.id;
		}

		String missed = save(ada, "Saved while away");
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
			.until(() -> reader.client.get("/api/feed", reader.token).body().contains(missed));
		try (EventStream resumed = EventStream.open(stack.origin(), reader.token, lastEventId)) {
			JsonNode action = json.readTree(resumed.nextAction().data);
			assertThat(action.get("target").get("id").asString()).isEqualTo(missed);
		}
	}

	/**
	 * Every metric that the Grafana dashboard and the alerting rules of deploy/monitoring read is
	 * exported by some running service, after the activity that registers meters on first use (a
	 * follow, a save, a refused save, a like, a feed read, a live feed); the rare ones (dead
	 * letters, refusals) are there from start-up at zero.
	 */
	@Test
	void everyMetricTheDashboardAndTheAlertsReadIsExported() throws Exception {
		Account reader = register("gauged");
		Account ada = register("counted");
		follow(reader, ada);
		String imageId = save(ada, "Measured");
		HttpResponse<String> refused = ada.client.postJson("/api/images", """
				{"url": "http://127.0.0.1:%d/%s.png", "title": "Not from here"}""".formatted(stack.picturePort(),
				UUID.randomUUID()), ada.token);
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
		HttpResponse<String> liked = ada.client.put("/api/images/" + imageId + "/like", ada.token);
		assertThat(liked.statusCode()).as(liked.body()).isEqualTo(204);
		try (EventStream stream = EventStream.open(stack.origin(), reader.token, null)) {
			stream.awaitComment("connected");
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
				.until(() -> reader.client.get("/api/feed", reader.token).body().contains(imageId));
			assertThat(sample(stack.prometheusScrapes().get("activity-service"), "bookmarks_feed_stream_connections"))
				.isGreaterThanOrEqualTo(1);
		}

		Set<String> wanted = MonitoringFiles.ofThisProject().metricNames();
		// Kafka's client metrics reach Micrometer on its next refresh (once a minute).
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
			Map<String, String> scrapes = stack.prometheusScrapes();
			Set<String> exported = new TreeSet<>();
			scrapes.values().forEach(scrape -> exported.addAll(metricNames(scrape)));
			assertThat(wanted).as("named by deploy/monitoring but exported by no service").isSubsetOf(exported);
			String activity = scrapes.get("activity-service");
			assertThat(activity).containsPattern(
					"kafka_consumer_fetch_manager_records_lag\\{[^}]*partition=\"\\d+\"[^}]*topic=\"bookmarks.image-events\"");
		});

		Map<String, String> scrapes = stack.prometheusScrapes();
		String bookmark = scrapes.get("bookmark-service");
		assertThat(sample(bookmark, "bookmarks_images_fetch_refused_total{application=\"bookmark-service\",reason=\"private_address\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(sample(bookmark, "bookmarks_images_fetch_refused_total{application=\"bookmark-service\",reason=\"timeout\"}"))
			.isZero();
		assertThat(sample(bookmark, "bookmarks_outbox_sent_total")).isGreaterThanOrEqualTo(2);
		assertThat(sample(bookmark, "bookmarks_images_decode_wait_seconds_count")).isGreaterThanOrEqualTo(1);
		assertThat(sample(scrapes.get("activity-service"), "bookmarks_feed_read_seconds_count")).isGreaterThanOrEqualTo(1);
		assertThat(sample(scrapes.get("social-graph-service"),
				"bookmarks_consumer_dead_letters_total{application=\"social-graph-service\",topic=\"bookmarks.user-events\"}"))
			.isZero();
		assertThat(sample(scrapes.get("auth-service"), "bookmarks_auth_hash_permit_wait_seconds_count")).isGreaterThanOrEqualTo(4);
	}

	/** The metric names of a Prometheus text scrape. */
	private static Set<String> metricNames(String scrape) {
		Set<String> names = new TreeSet<>();
		for (String line : scrape.split("\n")) {
			if (!line.isBlank() && !line.startsWith("#")) {
				names.add(line.split("[{ ]", 2)[0]);
			}
		}
		return names;
	}

	/** The value of the one series {@code series} (a name, or a name with all its labels in order) starts with. */
	private static double sample(String scrape, String series) {
		List<String> lines = scrape.lines()
			.filter(line -> line.startsWith(series + " ") || line.startsWith(series + "{")
					|| (series.endsWith("}") && line.startsWith(series.substring(0, series.length() - 1) + ",")))
			.toList();
		assertThat(lines).as("the series " + series).hasSize(1);
		String line = lines.get(0);
		return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
	}

	// ------------------------------------------------------------------------------------------

	private record Account(String id, String username, String token, MobileClient client) {
	}

	private static Account register(String name) throws Exception {
		MobileClient client = new MobileClient(stack.origin());
		String username = name + UUID.randomUUID().toString().substring(0, 8);
		String password = "quiet harbour lantern " + UUID.randomUUID();
		HttpResponse<String> created = client.postJson("/api/accounts", """
				{"username": "%s", "email": "%s@example.com", "password": "%s"}""".formatted(username, username,
				password), null);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String token = client.logIn(username, password).get("access_token").asString();
		return new Account(client.json(created).get("id").asString(), username, token, client);
	}

	/**
	 * Follows through the gateway. Until social-graph-service has its follow endpoint (issue 8,
	 * built beside this test), the test stands in for it and produces the UserFollowed event it
	 * would send; any other answer than 204 or that 404 fails the test.
	 */
	private static void follow(Account follower, Account followee) throws Exception {
		HttpResponse<String> followed = follower.client.put("/api/users/" + followee.username + "/follow",
				follower.token);
		if (followed.statusCode() == 204) {
			return;
		}
		assertThat(followed.statusCode()).as("PUT follow: " + followed.body()).isEqualTo(404);
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		String envelope = """
				{"eventId": "%s", "type": "UserFollowed", "version": 1, "occurredAt": "%s", "aggregateId": "%s",
				 "payload": {"followerId": "%s", "followerUsername": "%s", "followeeId": "%s", "followeeUsername": "%s",
				             "followedAt": "%s"}}""".formatted(UUID.randomUUID(), now, follower.id, follower.id,
				follower.username, followee.id, followee.username, now);
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
			producer.send(new ProducerRecord<>("bookmarks.follow-events", follower.id, envelope)).get(30, TimeUnit.SECONDS);
		}
	}

	private static String save(Account owner, String title) throws Exception {
		HttpResponse<String> saved = owner.client.postJson("/api/images", """
				{"url": "http://127.0.0.2:%d/%s.png", "title": "%s"}""".formatted(stack.picturePort(), UUID.randomUUID(),
				title), owner.token);
		assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
		return owner.client.json(saved).get("id").asString();
	}

	private static byte[] picture(int seed) throws java.io.IOException {
		java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(320, 240,
				java.awt.image.BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < 320; x++) {
			for (int y = 0; y < 240; y++) {
				image.setRGB(x, y, (x * seed) ^ (y << 8));
			}
		}
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		javax.imageio.ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	private record Event(String id, String event, String data, String comment) {
	}

	/** A minimal SSE client over java.net.http: reads the stream line by line on its own thread. */
	private static final class EventStream implements AutoCloseable {

		private final BlockingQueue<Event> received = new LinkedBlockingQueue<>();

		private final HttpResponse<InputStream> response;

		private final Thread reader;

		private EventStream(HttpResponse<InputStream> response) {
			this.response = response;
			this.reader = new Thread(this::read, "sse-reader");
			this.reader.setDaemon(true);
			this.reader.start();
		}

		static EventStream open(String origin, String token, String lastEventId) throws Exception {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + "/api/feed/stream"))
				.header("Accept", "text/event-stream")
				.header("Authorization", "Bearer " + token);
			if (lastEventId != null) {
				request.header("Last-Event-ID", lastEventId);
			}
			HttpResponse<InputStream> response = HttpClient.newHttpClient()
				.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
			assertThat(response.statusCode()).isEqualTo(200);
			return new EventStream(response);
		}

		private void read() {
			try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), UTF_8))) {
				String id = null;
				String event = null;
				StringBuilder data = new StringBuilder();
				String comment = null;
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					if (line.isEmpty()) {
						received.add(new Event(id, event, data.toString(), comment));
						id = null;
						event = null;
						data.setLength(0);
						comment = null;
					}
					else if (line.startsWith(":")) {
						comment = line.substring(1);
					}
					else if (line.startsWith("id:")) {
						id = line.substring(3).trim();
					}
					else if (line.startsWith("event:")) {
						event = line.substring(6).trim();
					}
					else if (line.startsWith("data:")) {
						data.append(line.substring(5).trim());
					}
				}
			}
			catch (java.io.IOException ex) {
				// closed
			}
		}

		void awaitComment(String text) throws InterruptedException {
			Event next;
			do {
				next = received.poll(30, TimeUnit.SECONDS);
				assertThat(next).as("a '%s' comment", text).isNotNull();
			}
			while (next.comment() == null || !next.comment().contains(text));
		}

		Event nextAction() throws InterruptedException {
			Event next;
			do {
				next = received.poll(30, TimeUnit.SECONDS);
				assertThat(next).as("an action event").isNotNull();
			}
			while (!"action".equals(next.event()));
			return next;
		}

		@Override
		public void close() throws Exception {
			response.body().close();
			reader.interrupt();
		}

	}

}
