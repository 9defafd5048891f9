package dev.bookmarks.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.bookmarks.gateway.tls.HttpsListener;
import dev.bookmarks.platform.test.ServiceTestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the gateway itself decides, in front of real HTTP upstreams and a real Redis: where the
 * login starts and what it asks of auth-service, CSRF for session callers only, security headers,
 * rate limits, and the 503 of a service that is down. (The whole login with auth-service, token
 * relay and shared sessions run in e2e-tests' BrowserSessionIT.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayEdgeTest {

	static {
		BlockHound.install();
	}

	static final String ORIGIN = "https://bookmarks.example";

	private static HttpServer upstream;

	private static final CountDownLatch firstEventSeen = new CountDownLatch(1);

	private static final int CONCURRENT = 40;

	private static final CountDownLatch CONCURRENT_CALLS = new CountDownLatch(CONCURRENT);

	private static final RSAKey SIGNING_KEY = rsaKey("auth-service");

	private static final RSAKey FORGER_KEY = rsaKey("auth-service");

	@TempDir
	static Path dataDir;

	/** Method, path and Authorization header of every request the services received. */
	private static final List<String> received = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		ServiceTestProperties.redis(registry);
		registry.add("BOOKMARKS_GATEWAY_MANAGEMENT_PORT", () -> "0");
		registry.add("BOOKMARKS_PUBLIC_ORIGIN", () -> ORIGIN);
		registry.add("BOOKMARKS_GATEWAY_CLIENT_SECRET", () -> "test-secret");
		registry.add("BOOKMARKS_GATEWAY_IMAGE_SAVE_CAPACITY", () -> "3");
		registry.add("BOOKMARKS_GATEWAY_LOGIN_CAPACITY", () -> "2");
		// A person's general bucket: 30 requests, none back during the test; leases of 3 (a tenth) that
		// do not expire during it either.
		registry.add("BOOKMARKS_GATEWAY_USER_RATE_CAPACITY", () -> "30");
		registry.add("BOOKMARKS_GATEWAY_USER_RATE_REFILL", () -> "1h");
		registry.add("bookmarks.gateway.rate-limits.lease-time", () -> "1h");
		registry.add("BOOKMARKS_GATEWAY_HTTPS_PORT", () -> "0");
		// The timeout of routes without one of their own: the live feed (none) must still go on past it.
		registry.add("bookmarks.gateway.service-timeout", () -> "1s");
		registry.add("BOOKMARKS_DATA_DIR", () -> dataDir.toString());
		upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		// auth-service's keys, with which the gateway checks whose bearer token it is.
		byte[] jwks = new JWKSet(SIGNING_KEY.toPublicJWK()).toString().getBytes(UTF_8);
		upstream.createContext("/auth/oauth2/jwks", exchange -> {
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, jwks.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(jwks);
			}
		});
		upstream.createContext("/", exchange -> {
			received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
					+ exchange.getRequestHeaders().getFirst("Authorization"));
			byte[] body = "{}".getBytes(UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		// The live feed: one event, then (once the client has it) a quiet spell longer than the
		// default response timeout, then another event.
		upstream.createContext("/api/feed/stream", exchange -> {
			exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write("data: one\n\n".getBytes(UTF_8));
				out.flush();
				if (firstEventSeen.await(20, TimeUnit.SECONDS)) {
					Thread.sleep(1500);
					out.write("data: two\n\n".getBytes(UTF_8));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		// Answers after longer than the timeout of the test's route to it (SlowRoute).
		upstream.createContext("/slow", exchange -> {
			try {
				Thread.sleep(5000);
				exchange.sendResponseHeaders(204, -1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				exchange.close();
			}
		});
		// Answers only once all the concurrent calls of the test have arrived.
		upstream.createContext("/api/users/busy", exchange -> {
			CONCURRENT_CALLS.countDown();
			try {
				CONCURRENT_CALLS.await(20, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			byte[] body = "{}".getBytes(UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		upstream.setExecutor(Executors.newCachedThreadPool());
		upstream.start();
		String uri = "http://127.0.0.1:" + upstream.getAddress().getPort();
		for (String service : List.of("AUTH", "BOOKMARK", "GRAPH", "ACTIVITY")) {
			registry.add("BOOKMARKS_" + service + "_URI", () -> uri);
		}
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		registry.add("BOOKMARKS_RANKING_URI", () -> "http://127.0.0.1:" + closed);
	}

	@AfterAll
	static void stopUpstream() {
		upstream.stop(0);
	}

	@LocalServerPort
	int port;

	@Autowired
	HttpsListener https;

	@Autowired
	ReactiveStringRedisTemplate redis;

	WebTestClient client;

	@BeforeEach
	void client() {
		client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
		received.clear();
	}

	@Test
	void aPageWithoutSessionStartsTheLoginAndTheLoginAsksAuthServiceWithPkce() {
		EntityExchangeResult<byte[]> page = client.get()
			.uri("/images/new?url=https%3A%2F%2Fsite.example%2Fa.jpg&title=A%20title")
			.header("Accept", "text/html")
			.exchange()
			.expectStatus()
			.isFound()
			.expectBody()
			.returnResult();
		assertThat(page.getResponseHeaders().getLocation()).hasToString("/oauth2/authorization/bookmarks");
		ResponseCookie session = page.getResponseCookies().getFirst("BOOKMARKS_SESSION");
		assertThat(session).isNotNull();
		assertThat(session.isHttpOnly()).isTrue();
		assertThat(session.getSameSite()).isEqualTo("Lax");
		assertThat(session.isSecure()).as("plain HTTP here").isFalse();

		URI authorize = client.get()
			.uri("/oauth2/authorization/bookmarks")
			.cookie(session.getName(), session.getValue())
			.exchange()
			.expectStatus()
			.isFound()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation();
		assertThat(authorize).isNotNull();
		assertThat(authorize.toString()).startsWith(ORIGIN + "/auth/oauth2/authorize?");
		MultiValueMap<String, String> query = UriComponentsBuilder.fromUri(authorize).build().getQueryParams();
		assertThat(query.getFirst("client_id")).isEqualTo("bookmarks-gateway");
		assertThat(query.getFirst("response_type")).isEqualTo("code");
		assertThat(query.getFirst("code_challenge_method")).isEqualTo("S256");
		assertThat(query.getFirst("code_challenge")).isNotBlank();
		assertThat(decode(query.getFirst("redirect_uri"))).isEqualTo(ORIGIN + "/login/oauth2/code/bookmarks");
		assertThat(decode(query.getFirst("scope"))).contains("openid", "profile", "email");
	}

	@Test
	void apiCallsAreNeverRedirectedToTheLogin() {
		client.get().uri("/api/images").exchange().expectStatus().isOk();
		client.get().uri("/api/images").cookie("BOOKMARKS_SESSION", "gone").exchange().expectStatus().isOk();
		assertThat(received).containsExactly("GET /api/images null", "GET /api/images null");
	}

	@Test
	void publicPagesNeedNoLogin() {
		for (String page : List.of("/register", "/password-reset", "/password-reset/confirm?token=x",
				"/account/email/confirm?token=x", "/bookmarklet")) {
			client.get().uri(page).exchange().expectStatus().value(status -> assertThat(status).as(page).isNotEqualTo(302));
		}
	}

	@Test
	void unsafeCallsWithTheSessionCookieNeedTheCsrfToken() {
		client.post()
			.uri("/api/images")
			.cookie("BOOKMARKS_SESSION", "some-session")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(403);
		assertThat(received).isEmpty();

		// The token a page reads from the XSRF-TOKEN cookie, echoed in the header.
		ResponseCookie xsrf = client.get()
			.uri("/register")
			.cookie("BOOKMARKS_SESSION", "some-session")
			.exchange()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("XSRF-TOKEN");
		assertThat(xsrf).isNotNull();
		assertThat(xsrf.isHttpOnly()).isFalse();
		client.put()
			.uri("/api/images/x/like")
			.cookie("BOOKMARKS_SESSION", "some-session")
			.cookie("XSRF-TOKEN", xsrf.getValue())
			.header("X-XSRF-TOKEN", xsrf.getValue())
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(received).containsExactly("PUT /api/images/x/like null");
	}

	@Test
	void bearerAndCookielessCallsNeedNoCsrfToken() {
		client.put()
			.uri("/api/images/y/like")
			.cookie("BOOKMARKS_SESSION", "some-session")
			.header("Authorization", "Bearer abc.def.ghi")
			.exchange()
			.expectStatus()
			.isOk();
		client.post().uri("/api/accounts/password-reset").bodyValue("{}").exchange().expectStatus().isOk();
		assertThat(received).containsExactly("PUT /api/images/y/like Bearer abc.def.ghi",
				"POST /auth/api/accounts/password-reset null");
	}

	@Test
	void logoutNeedsTheCsrfToken() {
		client.post()
			.uri("/logout")
			.cookie("BOOKMARKS_SESSION", "some-session")
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void everyResponseCarriesTheSecurityHeaders() {
		for (String path : List.of("/api/images", "/images", "/auth/login", "/nothing-here")) {
			client.get()
				.uri(path)
				.exchange()
				.expectHeader()
				.valueEquals("Content-Security-Policy",
						"default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
								+ "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")
				.expectHeader()
				.valueEquals("X-Content-Type-Options", "nosniff")
				.expectHeader()
				.valueEquals("X-Frame-Options", "DENY")
				.expectHeader()
				.valueEquals("Referrer-Policy", "strict-origin-when-cross-origin")
				.expectHeader()
				.doesNotExist("Strict-Transport-Security");
		}
		// The save page shows the picture from the site the bookmarklet was clicked on.
		client.get()
			.uri("/images/new?url=x")
			.exchange()
			.expectHeader()
			.value("Content-Security-Policy", csp -> assertThat(csp).contains("img-src 'self' data: https: http:")
				.contains("script-src 'self';"));
	}

	@Test
	void imageSavesAreLimitedPerCallerWith429AndRetryAfter() {
		for (int i = 0; i < 3; i++) {
			client.post().uri("/api/images").bodyValue("{}").exchange().expectStatus().isOk();
		}
		client.post()
			.uri("/api/images")
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.value("Retry-After", value -> assertThat(Integer.parseInt(value)).isBetween(1, 6))
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(429);
		assertThat(received).hasSize(3);
		// Reading is not saving.
		client.get().uri("/api/images").exchange().expectStatus().isOk();
	}

	@Test
	void theLoginFormIsLimitedPerClientAddress() {
		for (int i = 0; i < 2; i++) {
			client.post().uri("/auth/login").bodyValue("username=a&password=b").exchange().expectStatus().isOk();
		}
		client.post()
			.uri("/auth/login")
			.bodyValue("username=a&password=b")
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists("Retry-After");
	}

	/** A route with no timeout of its own, to the upstream's slow path. */
	@TestConfiguration(proxyBeanMethods = false)
	static class SlowRoute {

		@Bean
		RouteLocator slowRoute(RouteLocatorBuilder routes) {
			return routes.routes()
				.route("slow", route -> route.path("/slow").uri("http://127.0.0.1:" + upstream.getAddress().getPort()))
				.build();
		}

	}

	@Test
	void aServiceThatTakesLongerThanTheTimeoutAnswers504WhenItRunsOut() {
		long started = System.nanoTime();
		client.get().uri("/slow").exchange().expectStatus().isEqualTo(504);
		// The route's timeout is the default, 1 s here; the service would have answered after 5 s.
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900),
				Duration.ofMillis(4000));
	}

	@Test
	void aServiceThatIsDownAnswers503NamingIt() {
		client.get()
			.uri("/api/rankings/images")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.exists("Retry-After")
			.expectBody()
			.jsonPath("$.detail")
			.value(detail -> assertThat((String) detail).contains("ranking-service"));
	}

	@Test
	void theHttpsListenerServesTheSameWithHstsAndSecureCookiesOnAGeneratedCertificate() throws Exception {
		assertThat(dataDir.resolve("tls/gateway-localhost.p12")).isRegularFile();
		SslContext trustAll = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
		WebTestClient secure = WebTestClient
			.bindToServer(new ReactorClientHttpConnector(HttpClient.create().secure(ssl -> ssl.sslContext(trustAll))))
			.baseUrl("https://localhost:" + https.port())
			.responseTimeout(Duration.ofSeconds(20))
			.build();
		secure.get().uri("/api/images").exchange().expectStatus().isOk().expectHeader().valueEquals(
				"Strict-Transport-Security", "max-age=31536000");
		ResponseCookie session = secure.get()
			.uri("/rankings")
			.exchange()
			.expectStatus()
			.isFound()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("BOOKMARKS_SESSION");
		assertThat(session).isNotNull();
		assertThat(session.isSecure()).isTrue();
	}

	@Test
	void bearerCallersAreLimitedPerPersonAndAForgedTokenSpendsNoOnesRequests() throws Exception {
		String ada = "ada-" + java.util.UUID.randomUUID();
		String bob = "bob-" + java.util.UUID.randomUUID();
		for (int i = 0; i < 3; i++) {
			saveAs(token(SIGNING_KEY, ada)).expectStatus().isOk();
		}
		saveAs(token(SIGNING_KEY, ada)).expectStatus().isEqualTo(429).expectHeader().exists("Retry-After");
		// Someone else is not held back by Ada's saves ...
		saveAs(token(SIGNING_KEY, bob)).expectStatus().isOk();
		// ... nor by tokens someone forged in Bob's name: those count for the forger's address.
		for (int i = 0; i < 4; i++) {
			client.post()
				.uri("/api/images")
				.header("Authorization", "Bearer " + token(FORGER_KEY, bob))
				.header("X-Forwarded-For", "198.51.100.7")
				.bodyValue("{}")
				.exchange()
				.expectStatus()
				.value(status -> assertThat(status).isIn(200, 429));
		}
		saveAs(token(SIGNING_KEY, bob)).expectStatus().isOk();
		saveAs(token(SIGNING_KEY, bob)).expectStatus().isOk();
	}

	@Test
	void theLiveFeedStreamsEachEventAsItComesAndIsNotCutByATimeout() {
		Flux<String> events = client.get()
			.uri("/api/feed/stream")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody();
		// "one" must arrive while the service still holds the stream open: nothing is buffered.
		StepVerifier.create(events)
			.expectNext("one")
			.then(firstEventSeen::countDown)
			.expectNext("two")
			.verifyComplete();
	}

	@Test
	void aPersonsRequestsAreCountedInLeasesThatNeverExceedTheBucket() throws Exception {
		String carol = "carol-" + java.util.UUID.randomUUID();
		String token = token(SIGNING_KEY, carol);
		String bucket = "bookmarks:gateway:rate:all:user:" + carol;
		readAs(token).expectStatus().isOk();
		// The first request took a lease of 3 tokens from Redis: the next two need no round trip.
		assertThat(tokensLeft(bucket)).isCloseTo(27.0, within(0.01));
		readAs(token).expectStatus().isOk();
		readAs(token).expectStatus().isOk();
		assertThat(tokensLeft(bucket)).isCloseTo(27.0, within(0.01));
		readAs(token).expectStatus().isOk();
		assertThat(tokensLeft(bucket)).isCloseTo(24.0, within(0.01));
		for (int i = 4; i < 30; i++) {
			readAs(token).expectStatus().isOk();
		}
		assertThat(tokensLeft(bucket)).isCloseTo(0.0, within(0.01));
		readAs(token).expectStatus().isEqualTo(429).expectHeader().exists("Retry-After");
	}

	private double tokensLeft(String bucket) {
		Object tokens = redis.opsForHash().get(bucket, "t").block(Duration.ofSeconds(5));
		return Double.parseDouble(String.valueOf(tokens));
	}

	private WebTestClient.ResponseSpec readAs(String token) {
		return client.get().uri("/api/images").header("Authorization", "Bearer " + token).exchange();
	}

	/** The circuit breaker counts failures; it does not cap how many calls a service gets at once. */
	@Test
	void manyCallsAtOnceAllReachTheService() {
		WebClient web = WebClient.create("http://localhost:" + port);
		List<Integer> statuses = Flux.range(0, CONCURRENT)
			.flatMap(i -> web.get()
				.uri("/api/users/busy")
				.exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())),
					CONCURRENT)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(statuses).hasSize(CONCURRENT).containsOnly(200);
	}

	private WebTestClient.ResponseSpec saveAs(String token) {
		return client.post()
			.uri("/api/images")
			.header("Authorization", "Bearer " + token)
			.bodyValue("{}")
			.exchange();
	}

	private static String token(RSAKey key, String subject) throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ORIGIN + "/auth")
			.audience("bookmarks-api")
			.subject(subject)
			.issueTime(new java.util.Date())
			.expirationTime(new java.util.Date(System.currentTimeMillis() + 600_000))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static RSAKey rsaKey(String id) {
		try {
			return new RSAKeyGenerator(2048).keyID(id).generate();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String decode(String value) {
		return java.net.URLDecoder.decode(value, UTF_8);
	}

}
