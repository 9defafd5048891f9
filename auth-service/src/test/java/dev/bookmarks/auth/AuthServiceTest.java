package dev.bookmarks.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.RSAKey;
import dev.bookmarks.devinfra.PostgresServer;
import dev.bookmarks.devinfra.TestInfrastructure;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole service on a random port, with real PostgreSQL and Kafka from dev-infra. Every test
 * class extending this shares one application context and one database, so tests make their own
 * unique usernames.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Every test calls from loopback: the per-address limits would soon refuse the suite itself.
// ThrottledAuthServiceTest has the shipped limits (its dynamic properties win), and a client address per call.
@TestPropertySource(properties = { "bookmarks.auth.throttling.registrations-per-address.max=2147483647",
		"bookmarks.auth.throttling.login-failures-per-address.max=2147483647",
		"bookmarks.auth.password-reset.requests-per-address.max=2147483647" })
public abstract class AuthServiceTest {

	/** The public origin the service believes in; tests still call it on its real port. */
	public static final String PUBLIC_ORIGIN = "http://bookmarks.test";

	public static final String ISSUER = PUBLIC_ORIGIN + "/auth";

	public static final String GATEWAY_SECRET = "test-gateway-secret";

	/**
	 * Named in {@code bookmarks.auth.initial-admins}, like the four below: registered by a test,
	 * then made ADMIN by a (simulated) restart.
	 */
	public static final String INITIAL_ADMIN = "first_admin";

	/** Also named there, in another case; tests create it behind the service's back. */
	public static final String STARTUP_ADMIN = "Startup_Admin";

	/** Registered through the API while the service runs: gets no ADMIN for it. */
	public static final String LATER_ADMIN = "later_admin";

	/** Taken by a social sign-in: gets no ADMIN for it. */
	public static final String SOCIAL_ADMIN = "social_admin";

	/** Never registered: only a warning at startup. */
	public static final String ABSENT_ADMIN = "absent_admin";

	public static final Path DATA_DIR = Path.of("target", "test-data", UUID.randomUUID().toString())
		.toAbsolutePath();

	protected static final JsonMapper JSON = JsonMapper.builder().build();

	private static final AtomicInteger SEQUENCE = new AtomicInteger();

	@LocalServerPort
	protected int port;

	@Autowired
	protected JdbcTemplate jdbc;

	/**
	 * A key that signed tokens before the current one, published for verification only: its public
	 * part is in the previous-keys folder, the tests sign with its private part.
	 */
	public static final RSAKey PREVIOUS_SIGNING_KEY = PreviousSigningKey.writeInto(DATA_DIR.resolve("previous-keys"));

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		PostgresServer postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("auth");
		registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
		registry.add("spring.datasource.username", postgres::user);
		registry.add("spring.datasource.password", postgres::password);
		registry.add("spring.kafka.bootstrap-servers", () -> TestInfrastructure.kafka().bootstrapServers());
		registry.add("bookmarks.auth.public-origin", () -> PUBLIC_ORIGIN);
		registry.add("bookmarks.auth.data-dir", DATA_DIR::toString);
		registry.add("bookmarks.auth.gateway-client-secret", () -> GATEWAY_SECRET);
		registry.add("bookmarks.auth.previous-keys-location", () -> DATA_DIR.resolve("previous-keys").toString());
		TestIdentityProvider.register(registry);
		registry.add("bookmarks.auth.initial-admins", () -> String.join(", ", INITIAL_ADMIN,
				STARTUP_ADMIN.toLowerCase(), LATER_ADMIN, SOCIAL_ADMIN, ABSENT_ADMIN));
	}

	/** {@code http://localhost:<port>/auth} */
	protected String base() {
		return "http://localhost:" + port + "/auth";
	}

	/** A name no other test uses, within the username rules. */
	protected static String unique(String prefix) {
		return prefix + "_" + SEQUENCE.incrementAndGet() + "_" + Long.toString(System.nanoTime(), 36);
	}

	protected static HttpClient plainClient() {
		return HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	protected HttpResponse<String> postJson(String path, Object body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build();
		return send(plainClient(), request);
	}

	protected HttpResponse<String> get(String path, String bearerToken) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
			.timeout(Duration.ofSeconds(20))
			.header("Accept", "application/json");
		if (bearerToken != null) {
			request.header("Authorization", "Bearer " + bearerToken);
		}
		return send(plainClient(), request.GET().build());
	}

	protected static HttpResponse<String> send(HttpClient client, HttpRequest request) {
		try {
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	protected static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}
