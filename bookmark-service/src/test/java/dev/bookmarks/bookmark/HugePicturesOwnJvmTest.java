package dev.bookmarks.bookmark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.bookmarks.bookmark.picture.TestPictures;
import dev.bookmarks.devinfra.PostgresServer;
import dev.bookmarks.devinfra.TestInfrastructure;
import dev.bookmarks.platform.test.TestTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * bookmark-service as its own JVM with the options the local stack gives it (issue 7): 50-megapixel
 * pictures saved concurrently are answered 201 or 503, and never take the process down (it runs with
 * -XX:+ExitOnOutOfMemoryError, so running out of heap would end it).
 */
class HugePicturesOwnJvmTest {

	/** 7071 x 7071 = 49,999,041 pixels: just under the 50-megapixel limit. */
	private static final int EDGE = 7071;

	private static final int COPIES = 4;

	private static final TestTokenIssuer tokens = TestTokenIssuer.shared();

	private static Path workDir;

	private static HttpServer pictures;

	private static Process service;

	private static Path log;

	private static String base;

	@BeforeAll
	static void start() throws Exception {
		workDir = Files.createTempDirectory("huge-pictures");
		log = workDir.resolve("bookmark-service.log");
		byte[] jpeg = TestPictures.solidJpeg(EDGE, EDGE);
		byte[] png = TestPictures.solidPng(EDGE, EDGE);
		pictures = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
		pictures.setExecutor(Executors.newFixedThreadPool(4));
		pictures.createContext("/", exchange -> {
			byte[] body = exchange.getRequestURI().getPath().endsWith(".png") ? png : jpeg;
			exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		pictures.start();

		int port = freePort();
		base = "http://127.0.0.1:" + port;
		PostgresServer postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("bookmark");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(defaultJavaOptions());
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), BookmarkApplication.class.getName(),
				"--server.port=" + port, "--spring.r2dbc.url=" + postgres.r2dbcUrl(database),
				"--spring.r2dbc.username=" + postgres.user(), "--spring.r2dbc.password=" + postgres.password(),
				"--spring.flyway.url=" + postgres.jdbcUrl(database), "--spring.flyway.user=" + postgres.user(),
				"--spring.flyway.password=" + postgres.password(),
				"--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafka().bootstrapServers(),
				"--bookmarks.security.issuer=" + TestTokenIssuer.ISSUER,
				"--bookmarks.security.jwk-set-uri=" + tokens.jwkSetUri(),
				"--bookmarks.fetch.allowed-networks=127.0.0.2/32",
				"--bookmarks.fetch.allowed-ports=80,443," + pictures.getAddress().getPort(),
				"--bookmarks.blobs.directory=" + workDir.resolve("blobs"),
				"--bookmarks.public-origin=http://bookmarks.test"));
		service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		HttpClient http = HttpClient.newHttpClient();
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> !service.isAlive() || readiness(http) == 200);
		if (!service.isAlive()) {
			throw new IllegalStateException("bookmark-service did not start:\n" + tail());
		}
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (service != null) {
			service.destroy();
			if (!service.waitFor(20, TimeUnit.SECONDS)) {
				service.destroyForcibly();
			}
		}
		if (pictures != null) {
			pictures.stop(0);
		}
	}

	@Test
	void concurrentFiftyMegapixelSavesAreAnswered201Or503AndTheProcessLives() throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		String origin = "http://127.0.0.2:" + pictures.getAddress().getPort();
		List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
		for (int i = 0; i < COPIES; i++) {
			for (String extension : List.of("jpg", "png")) {
				UUID owner = UUID.randomUUID();
				String body = "{\"url\":\"" + origin + "/huge-" + i + "." + extension + "\",\"title\":\"Huge " + i + "\"}";
				answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/images"))
					.timeout(Duration.ofSeconds(120))
					.header("Authorization", "Bearer " + tokens.token(owner, "user" + i + extension))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString()));
			}
		}
		List<HttpResponse<String>> responses = new ArrayList<>();
		try {
			for (CompletableFuture<HttpResponse<String>> answer : answers) {
				responses.add(answer.get(180, TimeUnit.SECONDS));
			}
		}
		catch (Exception ex) {
			throw new AssertionError("A save got no answer (alive: " + service.isAlive() + "):\n" + tail(), ex);
		}

		System.out.println("Answers to " + responses.size() + " concurrent 50-megapixel saves: "
				+ responses.stream().map(HttpResponse::statusCode).toList());
		for (HttpResponse<String> response : responses) {
			assertThat(response.statusCode()).as(response.body()).isIn(201, 503);
			if (response.statusCode() == 503) {
				assertThat(response.headers().firstValue("Retry-After")).isPresent();
				assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			}
		}
		assertThat(responses).anySatisfy(response -> {
			assertThat(response.statusCode()).isEqualTo(201);
			assertThat(response.body()).contains("\"width\":" + EDGE, "\"height\":" + EDGE);
		});
		assertThat(service.isAlive()).as(tail()).isTrue();
		assertThat(readiness(http)).isEqualTo(200);
	}

	/** The local stack's defaults, then bookmark-service's own file if there is one, read as the script reads them. */
	static List<String> defaultJavaOptions() throws IOException {
		Path local = repositoryRoot().resolve("deploy/local");
		List<String> options = new ArrayList<>(optionsIn(local.resolve("service-java-options")));
		Path own = local.resolve("bookmark-service.java-options");
		if (Files.exists(own)) {
			options.addAll(optionsIn(own));
		}
		return options;
	}

	private static List<String> optionsIn(Path file) throws IOException {
		return Files.readAllLines(file)
			.stream()
			.filter(line -> !line.startsWith("#"))
			.flatMap(line -> Arrays.stream(line.trim().split("\\s+")))
			.filter(option -> !option.isEmpty())
			.toList();
	}

	private static Path repositoryRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isRegularFile(dir.resolve("deploy/local/service-java-options"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("No deploy/local/service-java-options above " + Path.of("").toAbsolutePath());
		}
		return dir;
	}

	private static int readiness(HttpClient http) {
		try {
			return http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private static String tail() {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
