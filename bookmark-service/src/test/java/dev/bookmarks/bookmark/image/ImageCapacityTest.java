package dev.bookmarks.bookmark.image;

import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.bookmarks.bookmark.picture.TestPictures;
import dev.bookmarks.platform.test.TestTokenIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A full budget is answered 503 with Retry-After and changes nothing: here the bytes of downloads
 * in flight, made small (64 KiB) so that one slow download of a 40 KiB picture leaves too little
 * for a second.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ImageCapacityTest {

	static {
		BlockHound.install();
	}

	private static final TestTokenIssuer tokens = TestTokenIssuer.shared();

	private static final byte[] picture = noisePng(new Random(7));

	private static final byte[] other = noisePng(new Random(8));

	private static final CountDownLatch firstHalfSent = new CountDownLatch(1);

	private static final CountDownLatch finishSlow = new CountDownLatch(1);

	private static final HttpServer pictures = pictureServer();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ImageTests.infrastructure(registry, pictures);
		registry.add("bookmarks.fetch.max-bytes", () -> "65536");
		registry.add("bookmarks.images.download-memory", () -> "64KB");
		registry.add("bookmarks.images.retry-after", () -> "7s");
		registry.add("bookmarks.blobs.directory", () -> System.getProperty("java.io.tmpdir") + "/capacity-" + UUID.randomUUID());
	}

	@AfterAll
	static void stopPictures() {
		finishSlow.countDown();
		pictures.stop(0);
	}

	@LocalServerPort
	int port;

	@Autowired
	DownloadBudget downloads;

	@Autowired
	MeterRegistry meters;

	@Test
	void aSaveThatFindsTheDownloadBudgetSpentIs503WithRetryAfterAndTheSameSaveSucceedsLater() throws Exception {
		assertThat(picture.length).isBetween(36_000, 48_000);
		WebTestClient client = ImageTests.client(port, Duration.ofSeconds(30));
		long capacity = downloads.bytes().capacity();
		assertThat(capacity).isEqualTo(65536);

		var slow = Mono.fromCallable(() -> save(client, "/slow.png", UUID.randomUUID()))
			.subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
			.toFuture();
		assertThat(firstHalfSent.await(30, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> downloads.bytes().available() <= capacity - 30_000);

		assertThat(meters.get("bookmarks.images.budget.used").tag("budget", "downloads").gauge().value())
			.isGreaterThanOrEqualTo(30_000);
		double overloadedBefore = overloaded("downloads");
		UUID owner = UUID.randomUUID();
		EntityExchangeResult<byte[]> refused = save(client, "/other.png", owner);
		assertThat(refused.getStatus().value()).isEqualTo(503);
		assertThat(overloaded("downloads") - overloadedBefore).isEqualTo(1);
		assertThat(overloaded("pictures")).isZero();
		assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("7");
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(new String(refused.getResponseBody())).contains("\"status\":503");

		finishSlow.countDown();
		assertThat(slow.get(30, TimeUnit.SECONDS).getStatus().value()).isEqualTo(201);
		await().atMost(Duration.ofSeconds(10)).until(() -> downloads.bytes().available() == capacity);
		assertThat(save(client, "/other.png", owner).getStatus().value()).isEqualTo(201);
		assertThat(downloads.bytes().available()).isEqualTo(capacity);
	}

	private double overloaded(String budget) {
		return meters.get("bookmarks.images.overloaded").tag("budget", budget).counter().count();
	}

	private static EntityExchangeResult<byte[]> save(WebTestClient client, String path, UUID owner) {
		return client.post()
			.uri("/api/images")
			.headers(h -> h.setBearerAuth(tokens.token(owner, "saver")))
			.bodyValue(Map.of("url", ImageTests.url(pictures, path), "title", "Noise"))
			.exchange()
			.expectBody()
			.returnResult();
	}

	/** /slow.png sends 30 KB, then waits for the test before sending the rest. */
	private static HttpServer pictureServer() {
		return ImageTests.pictureServer(Executors.newFixedThreadPool(4), exchange -> {
			boolean slow = exchange.getRequestURI().getPath().equals("/slow.png");
			byte[] body = slow ? picture : other;
			exchange.getResponseHeaders().set("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				if (slow) {
					out.write(body, 0, 30_000);
					out.flush();
					firstHalfSent.countDown();
					finishSlow.await(60, TimeUnit.SECONDS);
					out.write(body, 30_000, body.length - 30_000);
				}
				else {
					out.write(body);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
	}

	/** About 40 KB of PNG that does not compress. */
	private static byte[] noisePng(Random random) {
		BufferedImage image = new BufferedImage(116, 116, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				image.setRGB(x, y, random.nextInt(1 << 24));
			}
		}
		return TestPictures.write(image, "png");
	}

}
