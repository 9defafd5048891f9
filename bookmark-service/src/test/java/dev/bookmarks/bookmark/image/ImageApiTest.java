package dev.bookmarks.bookmark.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpServer;
import dev.bookmarks.platform.test.TestTokenIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.blockhound.BlockHound;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The images API on real PostgreSQL, Kafka and HTTP: pictures are served from 127.0.0.2, the one
 * network the test allows, and real tokens are checked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ImageApiTest {

	static {
		BlockHound.install();
	}

	private static final TestTokenIssuer tokens = TestTokenIssuer.shared();

	private static final HttpServer pictures = pictureServer();

	private static final Path blobs = ImageTests.temporaryDirectory();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ImageTests.infrastructure(registry, pictures);
		registry.add("bookmarks.blobs.directory", blobs::toString);
		registry.add("bookmarks.public-origin", () -> "http://bookmarks.test");
	}

	@AfterAll
	static void stopPictures() {
		pictures.stop(0);
	}

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	@Autowired
	BlobReaperAccess reaper;

	@Autowired
	MeterRegistry meters;

	WebTestClient client;

	final UUID ada = UUID.randomUUID();

	final UUID bob = UUID.randomUUID();

	@BeforeEach
	void client() {
		client = ImageTests.client(port, Duration.ofSeconds(20));
	}

	@Test
	void savingAnImageStoresItsPicturesAndAnswers201() {
		Map<?, ?> image = save(ada, "ada", picture("/sunset.png"), "Sunset over the bay");

		assertThat(image.get("title")).isEqualTo("Sunset over the bay");
		assertThat(image.get("slug")).isEqualTo("sunset-over-the-bay");
		assertThat(image.get("width")).isEqualTo(640);
		assertThat(image.get("height")).isEqualTo(480);
		assertThat(image.get("likeCount")).isEqualTo(0);
		assertThat(image.get("likedByMe")).isEqualTo(false);
		assertThat(image.get("owner")).isEqualTo(Map.of("id", ada.toString(), "username", "ada"));
		assertThat((String) image.get("thumbnailUrl")).matches("http://bookmarks.test/media/images/[0-9a-f]{64}\\.jpg");
		String thumbnail = ((String) image.get("thumbnailUrl")).replace("http://bookmarks.test", "");
		byte[] square = client.get()
			.uri(thumbnail)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
			.expectHeader()
			.contentType(MediaType.IMAGE_JPEG)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(read(square).getWidth()).isEqualTo(read(square).getHeight()).isEqualTo(300);
		String etag = "\"" + thumbnail.substring(thumbnail.lastIndexOf('/') + 1, thumbnail.lastIndexOf('.')) + "\"";
		client.get().uri(thumbnail).header("If-None-Match", etag).exchange().expectStatus().isNotModified();
		assertThat(outboxTypes(UUID.fromString((String) image.get("id")))).containsExactly("ImageBookmarked");
	}

	@Test
	void savingTheSameUrlTwiceIs409WithTheExistingId() {
		String url = picture("/twice.png");
		Map<?, ?> first = save(ada, "ada", url, "Once");

		client.post()
			.uri("/api/images")
			.headers(h -> h.setBearerAuth(tokens.token(ada, "ada")))
			.bodyValue(Map.of("url", url, "title", "Twice"))
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.existingId")
			.isEqualTo(first.get("id"));
		// Someone else may save the same picture.
		assertThat(save(bob, "bob", url, "Mine too").get("id")).isNotEqualTo(first.get("id"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "http://127.0.0.1:%d/sunset.png, private_address", "http://localhost:%d/sunset.png, private_address",
			"http://169.254.169.254/latest/meta-data/, private_address",
			"http://127.0.0.2:%d/to-metadata, private_address", "http://127.0.0.2:%d/drawing.svg, bad_type",
			"http://127.0.0.2:%d/page.png, bad_type", "file:///etc/passwd, invalid_url",
			"http://127.0.0.2:%d/huge-claim.png, too_large" })
	void refusedUrlIsA400AndLeavesNothingBehind(String template, String reason) throws IOException {
		long blobsBefore = countFiles();
		UUID owner = UUID.randomUUID();
		double refusedBefore = refused(reason);

		client.post()
			.uri("/api/images")
			.headers(h -> h.setBearerAuth(tokens.token(owner, "mallory")))
			.bodyValue(Map.of("url", template.formatted(pictures.getAddress().getPort()), "title", "Nope"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("url");

		assertThat(count("SELECT count(*) FROM image WHERE owner_id = $1", owner)).isZero();
		assertThat(count("SELECT count(*) FROM outbox WHERE envelope::jsonb -> 'payload' ->> 'ownerId' = $1",
				owner.toString())).isZero();
		assertThat(countFiles()).isEqualTo(blobsBefore);
		assertThat(refused(reason) - refusedBefore).as("refusals counted as " + reason).isEqualTo(1);
	}

	private double refused(String reason) {
		return meters.get("bookmarks.images.fetch.refused").tag("reason", reason).counter().count();
	}

	@Test
	void invalidFieldsAre400NamingEachField() {
		client.post()
			.uri("/api/images")
			.headers(h -> h.setBearerAuth(tokens.token(ada, "ada")))
			.bodyValue(Map.of("url", picture("/sunset.png"), "title", "x".repeat(201), "description", "d".repeat(2001)))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[*].field")
			.value(fields -> assertThat(fields.toString()).contains("description", "title"));
		client.post()
			.uri("/api/images")
			.headers(h -> h.setBearerAuth(tokens.token(ada, "ada")))
			.bodyValue(Map.of("title", "No URL"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("url");
		client.post().uri("/api/images").bodyValue(Map.of("url", "x", "title", "y")).exchange().expectStatus().isUnauthorized();
	}

	@Test
	void likingTwiceCountsOnceAndUnlikingTakesItBack() {
		UUID id = UUID.fromString((String) save(ada, "ada", picture("/liked.png"), "Liked").get("id"));
		String bobs = tokens.token(bob, "bob");

		for (int i = 0; i < 2; i++) {
			client.put().uri("/api/images/" + id + "/like").headers(h -> h.setBearerAuth(bobs)).exchange().expectStatus().isNoContent();
		}
		client.get()
			.uri("/api/images/" + id)
			.headers(h -> h.setBearerAuth(bobs))
			.exchange()
			.expectBody()
			.jsonPath("$.likeCount")
			.isEqualTo(1)
			.jsonPath("$.likedByMe")
			.isEqualTo(true);
		client.get()
			.uri("/api/images/" + id + "/likers")
			.headers(h -> h.setBearerAuth(bobs))
			.exchange()
			.expectBody()
			.jsonPath("$.items[0].username")
			.isEqualTo("bob");
		client.get()
			.uri("/api/images?likedBy=bob")
			.headers(h -> h.setBearerAuth(bobs))
			.exchange()
			.expectBody()
			.jsonPath("$.items[0].id")
			.isEqualTo(id.toString());

		for (int i = 0; i < 2; i++) {
			client.delete().uri("/api/images/" + id + "/like").headers(h -> h.setBearerAuth(bobs)).exchange().expectStatus().isNoContent();
		}
		client.get().uri("/api/images/" + id).headers(h -> h.setBearerAuth(bobs)).exchange().expectBody().jsonPath("$.likeCount").isEqualTo(0);
		assertThat(outboxTypes(id)).containsExactly("ImageBookmarked", "ImageLiked", "ImageUnliked");
		client.put().uri("/api/images/" + UUID.randomUUID() + "/like").headers(h -> h.setBearerAuth(bobs)).exchange().expectStatus().isNotFound();
	}

	@Test
	void onlyTheOwnerEditsAndOnlyTheOwnerOrAModeratorDeletes() throws IOException {
		Map<?, ?> image = save(ada, "ada", picture("/owned.png"), "Owned");
		UUID id = UUID.fromString((String) image.get("id"));

		client.patch().uri("/api/images/" + id).headers(h -> h.setBearerAuth(tokens.token(bob, "bob")))
			.bodyValue(Map.of("title", "Stolen")).exchange().expectStatus().isForbidden();
		client.patch().uri("/api/images/" + id).headers(h -> h.setBearerAuth(tokens.token(ada, "ada")))
			.bodyValue(Map.of("description", "At dusk")).exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.description").isEqualTo("At dusk").jsonPath("$.title").isEqualTo("Owned");
		client.delete().uri("/api/images/" + id).headers(h -> h.setBearerAuth(tokens.token(bob, "bob")))
			.exchange().expectStatus().isForbidden();

		client.delete().uri("/api/images/" + id)
			.headers(h -> h.setBearerAuth(tokens.token(UUID.randomUUID(), "mod", "USER", "MODERATOR")))
			.exchange().expectStatus().isNoContent();

		client.get().uri("/api/images/" + id).headers(h -> h.setBearerAuth(tokens.token(ada, "ada"))).exchange().expectStatus().isNotFound();
		assertThat(outboxTypes(id)).containsExactly("ImageBookmarked", "ImageUpdated", "ImageDeleted");
		String original = ((String) image.get("imageUrl")).replace("http://bookmarks.test", "");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			reaper.reapNow();
			client.get().uri(original).exchange().expectStatus().isNotFound();
		});
	}

	@Test
	void eventsReachKafkaInTheirEnvelopes() {
		UUID id = UUID.fromString((String) save(ada, "ada", picture("/evented.png"), "Evented").get("id"));
		client.get().uri("/api/images/" + id).headers(h -> h.setBearerAuth(tokens.token(bob, "bob"))).exchange().expectStatus().isOk();

		String bookmarked = firstRecord(dev.bookmarks.events.Topics.IMAGE_EVENTS, id);
		String viewed = firstRecord(dev.bookmarks.events.Topics.IMAGE_VIEWS, id);

		assertThat(bookmarked).contains("\"type\":\"ImageBookmarked\"", "\"version\":1", "\"aggregateId\":\"" + id + "\"",
				"\"ownerUsername\":\"ada\"", "\"title\":\"Evented\"", "\"thumbnailUrl\":\"http://bookmarks.test/media/images/");
		assertThat(viewed).contains("\"type\":\"ImageViewed\"", "\"viewerId\":\"" + bob + "\"");
	}

	private static String firstRecord(String topic, UUID key) {
		Map<String, Object> config = Map.of("bootstrap.servers", dev.bookmarks.devinfra.TestInfrastructure.kafka().bootstrapServers(),
				"group.id", "reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest", "key.deserializer",
				org.apache.kafka.common.serialization.StringDeserializer.class, "value.deserializer",
				org.apache.kafka.common.serialization.StringDeserializer.class);
		try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(config)) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (System.nanoTime() < deadline) {
				for (var record : consumer.poll(Duration.ofMillis(200))) {
					if (key.toString().equals(record.key())) {
						return record.value();
					}
				}
			}
		}
		throw new AssertionError("No record for " + key + " on " + topic);
	}

	@Test
	void concurrentLikesAreAllCountedExactly() {
		UUID id = UUID.fromString((String) save(ada, "ada", picture("/popular.png"), "Popular").get("id"));
		List<UUID> fans = java.util.stream.IntStream.range(0, 24).mapToObj(i -> UUID.randomUUID()).toList();

		reactor.core.publisher.Flux.fromIterable(fans)
			.flatMap(fan -> client.put()
				.uri("/api/images/" + id + "/like")
				.headers(h -> h.setBearerAuth(tokens.token(fan, "fan")))
				.exchange()
				.returnResult(Void.class)
				.getResponseBody()
				.then(), 12)
			.blockLast(Duration.ofSeconds(60));

		client.get().uri("/api/images/" + id).headers(h -> h.setBearerAuth(tokens.token(ada, "ada"))).exchange()
			.expectBody().jsonPath("$.likeCount").isEqualTo(24);
		assertThat(count("SELECT count(*) FROM image_like WHERE image_id = $1", id)).isEqualTo(24);
	}

	@Test
	void theDetailReadIsOneIndexedQuery() {
		UUID id = UUID.fromString((String) save(ada, "ada", picture("/planned.png"), "Planned").get("id"));

		// A test table is tiny, so PostgreSQL rightly prefers scanning it; with scans forbidden, the
		// plan shows the query is answered by primary-key lookups alone (likedByMe included).
		String plan = db.inConnectionMany(connection -> reactor.core.publisher.Flux
			.from(connection.createStatement("SET enable_seqscan = off").execute())
			.flatMap(result -> result.getRowsUpdated())
			.thenMany(reactor.core.publisher.Flux.from(connection
				.createStatement("EXPLAIN SELECT " + ImageRepository.COLUMNS + " FROM image i WHERE i.id = $2")
				.bind("$1", ada)
				.bind("$2", id)
				.execute()))
			.flatMap(result -> result.map((row, meta) -> row.get(0, String.class)))
			.concatWith(reactor.core.publisher.Flux.from(connection.createStatement("RESET enable_seqscan").execute())
				.flatMap(result -> result.map((row, meta) -> ""))))
			.collectList()
			.block()
			.toString();

		assertThat(plan).contains("image_pkey", "image_like_pkey").doesNotContain("Seq Scan");
	}

	@Test
	void titleWithoutLatinLettersStillGetsASlug() {
		assertThat(save(ada, "ada", picture("/kanji.png"), "日本語").get("slug")).asString().startsWith("image");
	}

	@Test
	void listsAreNewestFirstAndFilterByOwner() {
		UUID owner = UUID.randomUUID();
		String first = (String) save(owner, "carol", picture("/a.png"), "First").get("id");
		String second = (String) save(owner, "carol", picture("/b.png"), "Second").get("id");

		client.get()
			.uri("/api/images?owner=carol&limit=1")
			.headers(h -> h.setBearerAuth(tokens.token(ada, "ada")))
			.exchange()
			.expectBody()
			.jsonPath("$.items[0].id")
			.isEqualTo(second)
			.jsonPath("$.nextCursor")
			.value(cursor -> client.get()
				.uri("/api/images?owner=" + owner + "&limit=1&cursor=" + cursor)
				.headers(h -> h.setBearerAuth(tokens.token(ada, "ada")))
				.exchange()
				.expectBody()
				.jsonPath("$.items[0].id")
				.isEqualTo(first)
				.jsonPath("$.nextCursor")
				.doesNotExist());
	}

	private Map<?, ?> save(UUID owner, String username, String url, String title) {
		return ImageTests.save(client, owner, username, url, title);
	}

	private List<String> outboxTypes(UUID imageId) {
		return db.sql("SELECT event_type FROM outbox WHERE aggregate_id = $1 ORDER BY occurred_at, id")
			.bind(0, imageId.toString())
			.map(row -> row.get(0, String.class))
			.all()
			.collectList()
			.block();
	}

	private long count(String sql, Object parameter) {
		return db.sql(sql).bind(0, parameter).map(row -> row.get(0, Long.class)).one().block();
	}

	private static long countFiles() throws IOException {
		try (Stream<Path> files = Files.walk(blobs)) {
			return files.filter(Files::isRegularFile).count();
		}
	}

	private static String picture(String path) {
		return ImageTests.url(pictures, path);
	}

	private static HttpServer pictureServer() {
		return ImageTests.pictureServer(exchange -> {
			String path = exchange.getRequestURI().getPath();
			switch (path) {
				case "/to-metadata" -> ImageTests.redirect(exchange, "http://169.254.169.254/latest/meta-data/");
				case "/drawing.svg" -> ImageTests.send(exchange, "image/svg+xml",
						"<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes());
				case "/page.png" -> ImageTests.send(exchange, "image/png", "<html>hi</html>".getBytes());
				case "/huge-claim.png" -> ImageTests.send(exchange, "image/png", hugeClaim());
				// A distinct picture per path, so content-addressed keys differ between tests.
				default -> ImageTests.send(exchange, "image/png", ImageTests.png(640, 480, path.hashCode()));
			}
		});
	}

	private static byte[] hugeClaim() {
		byte[] png = ImageTests.png(1, 1, 0);
		int[] size = { 100_000, 100_000 };
		for (int i = 0; i < 2; i++) {
			int value = size[i];
			png[16 + 4 * i] = (byte) (value >>> 24);
			png[17 + 4 * i] = (byte) (value >>> 16);
			png[18 + 4 * i] = (byte) (value >>> 8);
			png[19 + 4 * i] = (byte) value;
		}
		java.util.zip.CRC32 crc = new java.util.zip.CRC32();
		crc.update(png, 12, 17);
		long value = crc.getValue();
		png[29] = (byte) (value >>> 24);
		png[30] = (byte) (value >>> 16);
		png[31] = (byte) (value >>> 8);
		png[32] = (byte) value;
		return png;
	}

	private static BufferedImage read(byte[] bytes) {
		try {
			return ImageIO.read(new java.io.ByteArrayInputStream(bytes));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Lets the test run a clean-up pass now instead of waiting for the schedule. */
	@org.springframework.boot.test.context.TestConfiguration
	static class BlobReaperAccess {

		private final dev.bookmarks.bookmark.blob.BlobReaper reaper;

		BlobReaperAccess(dev.bookmarks.bookmark.blob.BlobReaper reaper) {
			this.reaper = reaper;
		}

		void reapNow() {
			reaper.reapOnce().block();
		}

	}

}
