package dev.bookmarks.gateway.session;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.bookmarks.platform.test.ServiceTestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session hash that a logout half deleted (a request in flight saved into it after the delete)
 * is no session, never a 500: pages go to the login, API calls reach the service without a token
 * and get its 401, and the broken hash is removed from the real Redis.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PartialSessionTest {

	static {
		BlockHound.install();
	}

	private static HttpServer service;

	/** Path and Authorization header of every call the service received. */
	private static final List<String> received = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		ServiceTestProperties.redis(registry);
		registry.add("BOOKMARKS_GATEWAY_MANAGEMENT_PORT", () -> "0");
		registry.add("BOOKMARKS_GATEWAY_HTTPS_ENABLED", () -> "false");
		registry.add("BOOKMARKS_PUBLIC_ORIGIN", () -> "https://bookmarks.example");
		registry.add("BOOKMARKS_GATEWAY_CLIENT_SECRET", () -> "test-secret");
		service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		// Like every service: a call without a bearer token is a 401 problem.
		service.createContext("/", exchange -> {
			String authorization = exchange.getRequestHeaders().getFirst("Authorization");
			received.add(exchange.getRequestURI().getPath() + " " + authorization);
			byte[] body = "{\"status\":401,\"title\":\"Unauthorized\"}".getBytes(UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
			exchange.sendResponseHeaders(401, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		service.start();
		String uri = "http://127.0.0.1:" + service.getAddress().getPort();
		for (String name : List.of("AUTH", "BOOKMARK", "GRAPH", "ACTIVITY", "RANKING")) {
			registry.add("BOOKMARKS_" + name + "_URI", () -> uri);
		}
	}

	@AfterAll
	static void stopService() {
		service.stop(0);
	}

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	InvalidatedSessionSaves sessions;

	WebTestClient client;

	@BeforeEach
	void client() {
		client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
		received.clear();
		sessions = (InvalidatedSessionSaves) context.getBean(ReactiveSessionRepository.class);
	}

	@Test
	void anApiCallWithAHalfDeletedSessionReachesTheServiceWithoutTokenAndGetsItsProblem() {
		String id = halfDeletedSession();
		for (String path : List.of("/api/feed", "/api/feed/stream")) {
			client.get()
				.uri(path)
				.cookie(SessionCookie.NAME, id)
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(401);
		}
		assertThat(received).containsExactly("/api/feed null", "/api/feed/stream null");
		assertThat(exists(id)).as("the broken hash is deleted").isFalse();
	}

	@Test
	void aPageWithAHalfDeletedSessionGoesToTheLogin() {
		String id = halfDeletedSession();
		String location = client.get()
			.uri("/account")
			.header("Accept", "text/html")
			.cookie(SessionCookie.NAME, id)
			.exchange()
			.expectStatus()
			.isFound()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation()
			.toString();
		assertThat(location).isEqualTo("/oauth2/authorization/bookmarks");
		assertThat(exists(id)).as("the broken hash is deleted").isFalse();
	}

	@Test
	void aSaveIntoASessionALogoutDeletedLeavesNoHashBehind() {
		Session created = sessions.createSession().block(Duration.ofSeconds(5));
		created.setAttribute("visits", 1);
		sessions.save(created).block(Duration.ofSeconds(5));
		Session loaded = sessions.findById(created.getId()).block(Duration.ofSeconds(5));
		assertThat(loaded).isNotNull();
		assertThat(exists(created.getId())).as("a whole session stays").isTrue();

		// The logout deletes the hash right after the save found it there (the save's write follows).
		sessions.redis().delete(key(created.getId())).block(Duration.ofSeconds(5));
		sessions.redis()
			.opsForHash()
			.put(key(created.getId()), "lastAccessedTime", System.currentTimeMillis())
			.block(Duration.ofSeconds(5));
		loaded.setAttribute("visits", 2);
		sessions.save(loaded).block(Duration.ofSeconds(5));

		assertThat(exists(created.getId())).as("the half-written hash is deleted").isFalse();
	}

	/** What a save that raced a logout leaves: the last access and an attribute, nothing else. */
	private String halfDeletedSession() {
		String id = UUID.randomUUID().toString();
		sessions.redis()
			.opsForHash()
			.putAll(key(id), Map.of("lastAccessedTime", System.currentTimeMillis(), "sessionAttr:SPRING_SECURITY_SAVED_REQUEST", "x"))
			.block(Duration.ofSeconds(5));
		assertThat(exists(id)).isTrue();
		return id;
	}

	private boolean exists(String id) {
		return Boolean.TRUE.equals(sessions.redis().hasKey(key(id)).block(Duration.ofSeconds(5)));
	}

	private String key(String id) {
		assertThat(sessions.key(id)).isEqualTo("bookmarks:gateway:session:sessions:" + id);
		return sessions.key(id);
	}

}
