package dev.bookmarks.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.bookmarks.platform.test.ServiceTestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of real HTTP upstreams (one small server per service) that record what
 * reaches them: each public path lands on the service that owns it, with the public origin in
 * X-Forwarded-* headers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRoutingTest {

	static {
		BlockHound.install();
	}

	record Seen(String method, String path, String forwardedHost, String forwardedProto, String authorization,
			String forwarded) {
	}

	private static final Map<String, HttpServer> upstreams = new ConcurrentHashMap<>();

	private static final Map<String, List<Seen>> seen = new ConcurrentHashMap<>();

	/** An answer beyond what the gateway receives whole before writing it (WholeAnswers.LIMIT). */
	private static final byte[] LARGE = ("[" + "\"x\",".repeat(300 * 1024 / 4) + "\"y\"]").getBytes(UTF_8);

	/** Threads on which the gateway's routing filters ran. */
	private static final List<String> routingThreads = new CopyOnWriteArrayList<>();

	@TestConfiguration(proxyBeanMethods = false)
	static class RoutingThreads {

		@Bean
		GlobalFilter recordRoutingThread() {
			return (exchange, chain) -> {
				routingThreads.add(Thread.currentThread().getName());
				return chain.filter(exchange);
			};
		}

	}

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) throws IOException {
		ServiceTestProperties.redis(registry);
		// The variable the local stack and a deployment set (any free port here).
		registry.add("BOOKMARKS_GATEWAY_MANAGEMENT_PORT", () -> "0");
		registry.add("BOOKMARKS_GATEWAY_HTTPS_ENABLED", () -> "false");
		for (String service : List.of("AUTH", "BOOKMARK", "GRAPH", "ACTIVITY")) {
			HttpServer server = upstream(service);
			registry.add("BOOKMARKS_" + service + "_URI", () -> "http://127.0.0.1:" + server.getAddress().getPort());
		}
		// Ranking is "down": nothing listens on its port.
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		registry.add("BOOKMARKS_RANKING_URI", () -> "http://127.0.0.1:" + closed);
	}

	private static HttpServer upstream(String service) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		seen.put(service, new CopyOnWriteArrayList<>());
		server.createContext("/", exchange -> {
			seen.get(service)
				.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
						exchange.getRequestHeaders().getFirst("X-Forwarded-Host"),
						exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"),
						exchange.getRequestHeaders().getFirst("Authorization"),
						exchange.getRequestHeaders().getFirst("Forwarded")));
			byte[] body = ("{\"service\":\"" + service + "\"}").getBytes(UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			if (exchange.getRequestURI().getPath().equals("/api/images/broken")) {
				// Declares more than it sends, then the connection closes: a service dying mid-answer.
				exchange.getResponseHeaders().set("Cache-Control", "max-age=3600");
				exchange.sendResponseHeaders(200, 1000);
				exchange.getResponseBody().write(body);
				exchange.getResponseBody().flush();
				exchange.close();
				return;
			}
			if (exchange.getRequestURI().getPath().equals("/api/images/large")) {
				body = LARGE;
			}
			if (exchange.getRequestURI().getPath().startsWith("/auth/media/avatars/")) {
				// What auth-service sends with a photo.
				String name = exchange.getRequestURI().getPath().replaceAll(".*/([0-9a-f]{64})\\.jpg$", "$1");
				exchange.getResponseHeaders().set("Cache-Control", "max-age=31536000, public, immutable");
				exchange.getResponseHeaders().set("ETag", "\"" + name + "\"");
			}
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		upstreams.put(service, server);
		return server;
	}

	@AfterAll
	static void stopUpstreams() {
		upstreams.values().forEach(server -> server.stop(0));
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	WebTestClient client;

	@BeforeEach
	void client() {
		client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
		seen.values().forEach(List::clear);
		routingThreads.clear();
	}

	@Test
	void eachPublicPathReachesTheServiceThatOwnsIt() {
		assertRoutedTo("/api/accounts", "AUTH", "/auth/api/accounts");
		assertRoutedTo("/api/accounts/me", "AUTH", "/auth/api/accounts/me");
		assertRoutedTo("/auth/.well-known/openid-configuration", "AUTH", "/auth/.well-known/openid-configuration");
		assertRoutedTo("/media/avatars/" + "ab".repeat(32) + ".jpg", "AUTH", "/auth/media/avatars/" + "ab".repeat(32)
				+ ".jpg");
		assertRoutedTo("/api/images?owner=x&limit=5", "BOOKMARK", "/api/images?owner=x&limit=5");
		assertRoutedTo("/media/images/abc.jpg", "BOOKMARK", "/media/images/abc.jpg");
		assertRoutedTo("/api/users?limit=3", "GRAPH", "/api/users?limit=3");
		assertRoutedTo("/api/users/ada/followers", "GRAPH", "/api/users/ada/followers");
		assertRoutedTo("/api/users/ada/actions", "ACTIVITY", "/api/users/ada/actions");
		assertRoutedTo("/api/feed", "ACTIVITY", "/api/feed");
	}

	@Test
	void aProxiedRequestStaysOnTheEventLoop() {
		client.get().uri("/api/images").exchange().expectStatus().isOk();
		client.get().uri("/api/users").header("Authorization", "Bearer abc.def.ghi").exchange().expectStatus().isOk();

		// A Netty event loop, not a bounded-elastic and then a parallel thread for a web session lookup.
		assertThat(routingThreads).hasSize(2).allSatisfy(thread -> assertThat(thread).contains("-http-"));
	}

	@Test
	void aProxiedRequestSchedulesNoTimerOnAnotherThread() {
		client.get().uri("/api/images").exchange().expectStatus().isOk();
		AtomicInteger scheduled = new AtomicInteger();
		Schedulers.onScheduleHook("count", task -> {
			scheduled.incrementAndGet();
			return task;
		});
		try {
			for (int i = 0; i < 20; i++) {
				client.get().uri("/api/images").exchange().expectStatus().isOk();
			}
		}
		finally {
			Schedulers.resetOnScheduleHook("count");
		}
		// Each route's timeout is a timer on the connection's event loop (EventLoopTimeouts); Flux.timeout put two
		// per request on Reactor's parallel threads. What may remain: the rate limiter's Redis call per lease.
		assertThat(scheduled).hasValueLessThan(10);
	}

	@Test
	void profilePhotosKeepTheirCacheHeadersThroughTheGateway() {
		client.get()
			.uri("/media/avatars/" + "cd".repeat(32) + ".jpg")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Cache-Control", "max-age=31536000, public, immutable")
			.expectHeader()
			.valueEquals("ETag", "\"" + "cd".repeat(32) + "\"");
	}

	@Test
	void servicesSeeThePublicOriginAndTheCallersToken() {
		client.get()
			.uri("/api/users")
			.header("Authorization", "Bearer abc.def.ghi")
			.exchange()
			.expectStatus()
			.isOk();

		Seen request = seen.get("GRAPH").get(0);
		assertThat(request.forwardedHost()).isEqualTo("localhost:" + port);
		assertThat(request.forwardedProto()).isEqualTo("http");
		assertThat(request.authorization()).isEqualTo("Bearer abc.def.ghi");
	}

	@Test
	void aClientsOwnForwardedHeaderNeverReachesAService() {
		// Spring's forwarded-header support believes Forwarded before X-Forwarded-*: passed on, it would let
		// a client choose the origin auth-service puts in its issuer and redirects.
		client.get()
			.uri("/api/users")
			.header("Forwarded", "host=evil.example;proto=https;for=6.6.6.6")
			.exchange()
			.expectStatus()
			.isOk();

		Seen request = seen.get("GRAPH").get(0);
		assertThat(request.forwarded()).isNull();
		assertThat(request.forwardedHost()).isEqualTo("localhost:" + port);
	}

	@Test
	void anAnswerLargerThanTheGatewayReceivesWholeIsStreamedIntact() {
		byte[] received = client.mutate()
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(LARGE.length))
			.build()
			.get()
			.uri("/api/images/large")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentLength(LARGE.length)
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(received).isEqualTo(LARGE);
	}

	@Test
	void aServicesAnswerThatBreaksOffIsA502ProblemNotATruncatedAnswer() {
		EntityExchangeResult<byte[]> problem = client.get()
			.uri("/api/images/broken")
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(502)
			.returnResult();
		// The service's headers described its answer, not the problem: a cache must not keep the 502 for an hour.
		assertThat(problem.getResponseHeaders().getOrEmpty("Cache-Control")).doesNotContain("max-age=3600");
		// The gateway goes on serving: the broken connection was not given back to the pool.
		assertRoutedTo("/api/images?limit=1", "BOOKMARK", "/api/images?limit=1");
	}

	@Test
	void theSecurityChainChecksHeadersWithThePlatformsFirewall(@Autowired WebFilterChainProxy securityChain) {
		Object firewall = ReflectionTestUtils.getField(securityChain, "firewall");
		assertThat(firewall).isInstanceOf(StrictServerWebExchangeFirewall.class);
		assertThat(ReflectionTestUtils.getField(firewall, "allowedHeaderValues"))
			.isNotSameAs(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES);
	}

	@Test
	void proxiedCallsRunOnlyTheSecurityFiltersTheyNeedUndecorated(@Autowired WebFilterChainProxy securityChain,
			@Autowired @Qualifier("statelessChain") SecurityWebFilterChain stateless) {
		// Bearer and cookieless calls: headers written, nothing authenticated or authorized (each service does both).
		assertThat(stateless.getWebFilters().map(filter -> filter.getClass().getSimpleName()).collectList().block())
			.containsExactly("ServerWebExchangeReactorContextWebFilter", "HttpHeaderWriterWebFilter",
					"ReactorContextWebFilter", "SecurityContextServerWebExchangeWebFilter",
					"ServerRequestCacheWebFilter");
		// No observation wrapped around each of them (platform-starter's SecurityObservationsAutoConfiguration).
		assertThat(ReflectionTestUtils.getField(securityChain, "filterChainDecorator"))
			.isInstanceOf(WebFilterChainProxy.DefaultWebFilterChainDecorator.class);
	}

	@Test
	void serviceThatIsDownGivesA503Problem() {
		client.get()
			.uri("/api/rankings/images")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(503);
	}

	@Test
	void pathNoServiceOwnsIsA404Problem() {
		client.get()
			.uri("/api/unknown")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void eachServicesApiDocumentIsReadThroughTheGateway() {
		assertRoutedTo("/api/docs/auth-service", "AUTH", "/auth/v3/api-docs");
		assertRoutedTo("/api/docs/bookmark-service", "BOOKMARK", "/v3/api-docs");
		assertRoutedTo("/api/docs/social-graph-service", "GRAPH", "/v3/api-docs");
		assertRoutedTo("/api/docs/activity-service", "ACTIVITY", "/v3/api-docs");
		client.get().uri("/api/docs/ranking-service").exchange().expectStatus().isEqualTo(503);
	}

	@Test
	void apiDocumentsAreReadOnlyAndOnlyUnderApiDocs() {
		client.post()
			.uri("/api/docs/bookmark-service")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isNotFound();
		client.get().uri("/api/docs/no-such-service").exchange().expectStatus().isNotFound();
		client.get().uri("/auth/v3/api-docs").exchange().expectStatus().isNotFound();
		client.get().uri("/auth/v3/api-docs/swagger-config").exchange().expectStatus().isNotFound();
		seen.values().forEach(requests -> assertThat(requests).isEmpty());
	}

	@Test
	void servicesActuatorEndpointsAreNotPublic() {
		client.get().uri("/auth/actuator/prometheus").exchange().expectStatus().isNotFound();
		client.get().uri("/auth/actuator/health").exchange().expectStatus().isNotFound();
		assertThat(seen.get("AUTH")).isEmpty();
	}

	@Test
	void probesAndMetricsAnswerOnTheManagementPort() {
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + managementPort)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
		management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		management.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("application=\"gateway\""));
	}

	@Test
	void gatewaysOwnActuatorEndpointsAreNotPublic() {
		for (String path : List.of("/actuator", "/actuator/prometheus", "/actuator/health",
				"/actuator/health/readiness")) {
			client.get()
				.uri(path)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		seen.values().forEach(requests -> assertThat(requests).isEmpty());
	}

	private void assertRoutedTo(String publicPath, String service, String upstreamPath) {
		client.get()
			.uri(publicPath)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.service")
			.isEqualTo(service);
		List<Seen> requests = seen.get(service);
		assertThat(requests).extracting(Seen::path).contains(upstreamPath);
	}

}
