package dev.bookmarks.auth.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import dev.bookmarks.auth.AuthServiceApplication;
import dev.bookmarks.auth.Browser;
import dev.bookmarks.devinfra.PostgresServer;
import dev.bookmarks.devinfra.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A burst of wrong logins against auth-service running as its own JVM with the default options of
 * the local stack ({@code deploy/local/service-java-options}, and
 * {@code deploy/local/auth-service.java-options} after them when it exists), so with the heap it
 * really gets. Every login hashes a password (unknown users too, against a dummy hash), and every
 * hash holds about 20 MiB: unbounded, a hundred at once are far more than the heap.
 */
class PasswordHashingUnderLoadTest {

	private static final int LOGINS = 100;

	private static final String PASSWORD = "a long and unusual passphrase";

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private Process service;

	private Path log;

	@AfterEach
	void stop() throws InterruptedException {
		if (service != null && service.isAlive()) {
			service.destroy();
			if (!service.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
				service.destroyForcibly();
			}
		}
	}

	@Test
	void aHundredConcurrentWrongLoginsAreAllAnsweredAndTheServiceStaysUp() throws Exception {
		String base = start();
		List<String> usernames = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String username = "load_" + i + "_" + Long.toString(System.nanoTime(), 36);
			HttpResponse<String> registered = send(HttpRequest.newBuilder(URI.create(base + "/api/accounts"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"email\":\"" + username
						+ "@example.com\",\"password\":\"" + PASSWORD + "\"}"))
				.build());
			assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
			usernames.add(username);
		}
		// Each login from a browser of its own: a session cookie and the form's CSRF token.
		List<HttpRequest> logins = new ArrayList<>();
		for (int i = 0; i < LOGINS; i++) {
			HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/login")).build());
			assertThat(page.statusCode()).isEqualTo(200);
			String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
			// Half wrong passwords of existing accounts, half unknown users.
			String login = i % 2 == 0 ? usernames.get(i / 2 % usernames.size()) : "nobody_" + UUID.randomUUID();
			logins.add(HttpRequest.newBuilder(URI.create(base + "/login"))
				.timeout(Duration.ofMinutes(2))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Cookie", cookie)
				.POST(HttpRequest.BodyPublishers.ofString(Browser.encode(Map.of("username", login, "password",
						"wrong password " + i, "_csrf", Browser.csrfToken(page.body())))))
				.build());
		}

		long started = System.nanoTime();
		List<String> outcomes = fireAtOnce(logins);
		System.out.printf("%d concurrent wrong logins answered within %d ms%n", LOGINS,
				Duration.ofNanos(System.nanoTime() - started).toMillis());

		List<String> notRefusedLikeAWrongPassword = outcomes.stream()
			.filter(outcome -> !outcome.equals("302 " + base + "/login?error"))
			.toList();
		assertThat(notRefusedLikeAWrongPassword).as("answers other than a wrong password's; service log:%n%s",
				tail()).isEmpty();
		assertThat(service.isAlive()).as("the service is still running; its log:%n%s", tail()).isTrue();
		assertThat(send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build()).statusCode()).isEqualTo(200);
	}

	/** Sends all requests at the same moment; the status and location of each, or its failure. */
	private List<String> fireAtOnce(List<HttpRequest> requests) throws InterruptedException {
		CountDownLatch go = new CountDownLatch(1);
		List<CompletableFuture<String>> answers = new ArrayList<>();
		ExecutorService threads = Executors.newFixedThreadPool(requests.size());
		try {
			for (HttpRequest request : requests) {
				answers.add(CompletableFuture.supplyAsync(() -> {
					try {
						go.await();
						HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
						return answer.statusCode() + " " + answer.headers().firstValue("Location").orElse("");
					}
					catch (IOException ex) {
						return "failed: " + ex;
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return "interrupted";
					}
				}, threads));
			}
			go.countDown();
			return answers.stream().map(CompletableFuture::join).toList();
		}
		finally {
			threads.shutdownNow();
		}
	}

	/** Starts the service like the local stack does; its base URL once it is ready. */
	private String start() throws Exception {
		PostgresServer postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("auth_load");
		Path root = repositoryRoot();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(javaOptions(root.resolve("deploy/local/service-java-options")));
		command.addAll(javaOptions(root.resolve("deploy/local/auth-service.java-options")));
		int port = freePort();
		Path dataDir = Files.createTempDirectory("auth-load-data");
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), AuthServiceApplication.class.getName(),
				"--server.port=" + port, "--spring.datasource.url=" + postgres.jdbcUrl(database),
				"--spring.datasource.username=" + postgres.user(),
				"--spring.datasource.password=" + postgres.password(),
				"--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafka().bootstrapServers(),
				"--bookmarks.auth.data-dir=" + dataDir, "--bookmarks.auth.public-origin=http://bookmarks.test"));
		Files.createDirectories(Path.of("target"));
		log = Path.of("target", "password-hashing-under-load-auth-service.log").toAbsolutePath();
		service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		String base = "http://127.0.0.1:" + port + "/auth";
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (System.nanoTime() < deadline) {
			if (!service.isAlive()) {
				fail("auth-service ended while starting; its log:%n%s", tail());
			}
			try {
				if (http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).timeout(Duration.ofSeconds(5)).build(),
						HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return base;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(250);
		}
		return fail("auth-service not ready within 3 minutes; its log:%n%s", tail());
	}

	/** The options of a file like the local stack reads it: lines not starting with # (none if absent). */
	private static List<String> javaOptions(Path file) throws IOException {
		if (!Files.exists(file)) {
			return List.of();
		}
		try (Stream<String> lines = Files.lines(file)) {
			return lines.filter(line -> !line.startsWith("#"))
				.flatMap(line -> Arrays.stream(line.strip().split("\\s+")))
				.filter(option -> !option.isEmpty())
				.toList();
		}
	}

	private static Path repositoryRoot() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.exists(dir.resolve("deploy/local/service-java-options"))) {
				return dir;
			}
		}
		throw new IllegalStateException("No deploy/local/service-java-options above " + Path.of("").toAbsolutePath());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private String tail() {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return socket.getLocalPort();
		}
	}

}
