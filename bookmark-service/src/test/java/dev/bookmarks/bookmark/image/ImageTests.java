package dev.bookmarks.bookmark.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.bookmarks.bookmark.picture.TestPictures;
import dev.bookmarks.platform.test.ServiceTestProperties;
import dev.bookmarks.platform.test.TestTokenIssuer;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the tests of the running images API share: a picture server on 127.0.0.2, the one network
 * they allow the service to fetch from, the properties that point the service at it and at the
 * test infrastructure, and a save through the API with a real token.
 */
final class ImageTests {

	static final TestTokenIssuer tokens = TestTokenIssuer.shared();

	private ImageTests() {
	}

	/** PostgreSQL, Kafka and tokens from the test infrastructure; fetches allowed to the picture server only. */
	static void infrastructure(DynamicPropertyRegistry registry, HttpServer pictures) {
		ServiceTestProperties.r2dbc(registry, "bookmark");
		ServiceTestProperties.kafka(registry);
		ServiceTestProperties.tokens(registry);
		registry.add("bookmarks.fetch.allowed-networks", () -> "127.0.0.2/32");
		registry.add("bookmarks.fetch.allowed-ports", () -> "80,443," + pictures.getAddress().getPort());
	}

	/** A started server on 127.0.0.2 and a free port, answering every path with the handler. */
	static HttpServer pictureServer(HttpHandler handler) {
		return pictureServer(null, handler);
	}

	/** The same on the given executor ({@code null}: the server's own single thread). */
	static HttpServer pictureServer(Executor executor, HttpHandler handler) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
			server.setExecutor(executor);
			server.createContext("/", handler);
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The URL of a path on the picture server. */
	static String url(HttpServer pictures, String path) {
		return "http://127.0.0.2:" + pictures.getAddress().getPort() + path;
	}

	static void send(HttpExchange exchange, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	static void redirect(HttpExchange exchange, String location) throws IOException {
		exchange.getResponseHeaders().set("Location", location);
		exchange.sendResponseHeaders(302, -1);
		exchange.close();
	}

	/** A patterned PNG; a different seed makes different bytes, so content-addressed keys differ. */
	static byte[] png(int width, int height, int seed) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < width; x++) {
			for (int y = 0; y < height; y++) {
				image.setRGB(x, y, (x * 7 + seed) << 8 ^ y * 13 + seed);
			}
		}
		return TestPictures.write(image, "png");
	}

	static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("bookmark-blobs");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static WebTestClient client(int port, Duration responseTimeout) {
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(responseTimeout).build();
	}

	/** Saves an image as the owner and expects 201: the image as answered. */
	static Map<?, ?> save(WebTestClient client, UUID owner, String username, String url, String title) {
		return client.post()
			.uri("/api/images")
			.headers(h -> h.setBearerAuth(tokens.token(owner, username)))
			.bodyValue(Map.of("url", url, "title", title))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

}
