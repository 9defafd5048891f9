package dev.bookmarks.e2e;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;
import dev.bookmarks.devinfra.ReceivedSpan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rankings end to end on the whole local stack: an image viewed through the gateway is counted by
 * bookmark-service's ImageViewed event, consumed by ranking-service from Kafka into Redis, and
 * moves up in the ranking read through the gateway, with the title from its ImageBookmarked event.
 */
class RankingsIT {

	private static LocalStack stack;

	@BeforeAll
	static void startTheStack() throws Exception {
		stack = LocalStack.startTraced();
	}

	@AfterAll
	static void stopTheStack() throws Exception {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void viewingAnImageThroughTheGatewayMovesItUpInTheViewsRanking() throws Exception {
		HttpServer site = pictureSite();
		try {
			MobileClient client = new MobileClient(stack.origin());
			String token = signUp(client, "rank");
			String tortoise = save(client, token, "tortoise-" + UUID.randomUUID() + ".png", "Tortoise");
			String hare = save(client, token, "hare-" + UUID.randomUUID() + ".png", "Hare");

			view(client, token, hare, 2);
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				List<String> order = rankedAmong(client, token, tortoise, hare);
				assertThat(order).containsExactly(hare);
			});

			view(client, token, tortoise, 3);
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				assertThat(rankedAmong(client, token, tortoise, hare)).containsExactly(tortoise, hare);
				JsonNode stats = client.json(client.get("/api/rankings/images/" + tortoise, token));
				assertThat(stats.get("views").asLong()).isEqualTo(3);
				assertThat(stats.get("viewsToday").asLong()).isEqualTo(3);
				assertThat(stats.get("likes").asLong()).isZero();
			});
			JsonNode first = ranking(client, token).stream()
				.filter(item -> item.get("imageId").asString().equals(tortoise))
				.findFirst()
				.orElseThrow();
			assertThat(first.get("score").asLong()).isEqualTo(3);
			assertThat(first.get("title").asString()).isEqualTo("Tortoise");
			assertThat(first.get("thumbnailUrl").asString()).contains("/media/images/");

			HttpResponse<String> anonymous = client.get("/api/rankings/images?by=views", null);
			assertThat(anonymous.statusCode()).isEqualTo(401);
			HttpResponse<String> bad = client.get("/api/rankings/images?by=views&limit=1000", token);
			assertThat(bad.statusCode()).isEqualTo(400);
			assertThat(client.json(bad).get("errors").get(0).get("field").asString()).isEqualTo("limit");
		}
		finally {
			site.stop(0);
		}
	}

	/**
	 * One trace follows a like from the gateway through bookmark-service, its outbox relay and
	 * Kafka to every consumer of image events; a view's record is sent in its request's trace
	 * without the outbox. The spans come over OTLP, as an operator's collector would get them.
	 */
	@Test
	void aLikeIsOneTraceFromTheGatewayThroughKafkaToEveryConsumer() throws Exception {
		HttpServer site = pictureSite();
		try {
			MobileClient client = new MobileClient(stack.origin());
			String token = signUp(client, "trace");
			String image = save(client, token, "traced-" + UUID.randomUUID() + ".png", "Traced");

			HttpResponse<String> liked = client.put("/api/images/" + image + "/like", token);
			assertThat(liked.statusCode()).as(liked.body()).isEqualTo(204);
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				List<ReceivedSpan> trace = traceOf("PUT", "/api/images/{id}/like");
				assertThat(trace).anySatisfy(span -> assertThat(span.service()).isEqualTo("gateway"));
				ReceivedSpan publish = only(trace, "bookmark-service", "outbox publish");
				// its parent is the span the request was in when it wrote the event (the request's own, or one
				// inside it)
				ReceivedSpan writer = trace.stream()
					.filter(span -> span.spanId().equals(publish.parentSpanId()))
					.findFirst()
					.orElseThrow(() -> new AssertionError("the outbox publish's parent is not in the request's trace: " + trace));
				assertThat(writer.service()).isEqualTo("bookmark-service");
				ReceivedSpan send = trace.stream()
					.filter(span -> span.kind().equals("PRODUCER") && span.parentSpanId().equals(publish.spanId()))
					.findFirst()
					.orElseThrow(() -> new AssertionError("no producer span under the outbox publish: " + trace));
				for (String consumer : List.of("ranking-service", "activity-service", "social-graph-service")) {
					assertThat(trace).as(consumer + " joins the like's trace")
						.anySatisfy(span -> {
							assertThat(span.service()).isEqualTo(consumer);
							assertThat(span.kind()).isEqualTo("CONSUMER");
							assertThat(span.parentSpanId()).isEqualTo(send.spanId());
						});
				}
			});

			HttpResponse<String> detail = client.get("/api/images/" + image, token);
			assertThat(detail.statusCode()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				List<ReceivedSpan> trace = traceOf("GET", "/api/images/{id}");
				assertThat(trace).anySatisfy(span -> assertThat(span.service()).isEqualTo("gateway"));
				// the view goes straight to Kafka, in the request's trace (ranking-service reads views in
				// batches, which Spring Kafka does not observe: its work is not in the trace)
				assertThat(trace).as("the view's record is sent in the request's trace")
					.anySatisfy(span -> {
						assertThat(span.service()).isEqualTo("bookmark-service");
						assertThat(span.kind()).isEqualTo("PRODUCER");
						assertThat(span.name()).isEqualTo("bookmarks.image-views send");
					});
			});
			// Spring Security's per-filter and per-authorization observations are off in every service
			// (PlatformDefaults): the request's own span says how long it took and how it ended.
			assertThat(traceOf("GET", "/api/images/{id}")).as("no span of Spring Security's filters")
				.noneSatisfy(span -> assertThat(span.name()).containsAnyOf("security", "authoriz"));
		}
		finally {
			site.stop(0);
		}
	}

	/** Every span of the (latest) trace in which bookmark-service served this route. */
	private static List<ReceivedSpan> traceOf(String method, String route) {
		List<ReceivedSpan> spans = stack.spans();
		String traceId = spans.stream()
			.filter(span -> span.service().equals("bookmark-service") && span.kind().equals("SERVER")
					&& route.equals(span.attributes().get("uri")) && method.equals(span.attributes().get("method")))
			.max(java.util.Comparator.comparingLong(ReceivedSpan::startNanos))
			.map(ReceivedSpan::traceId)
			.orElseThrow(() -> new AssertionError("no bookmark-service span for " + method + " " + route));
		return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
	}

	private static ReceivedSpan only(List<ReceivedSpan> trace, String service, String name) {
		List<ReceivedSpan> found = trace.stream()
			.filter(span -> span.service().equals(service) && span.name().equals(name))
			.toList();
		assertThat(found).as(service + " " + name + " in " + trace).hasSize(1);
		return found.get(0);
	}

	private static HttpServer pictureSite() throws java.io.IOException {
		HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.2", stack.picturePort()), 0);
		site.createContext("/", exchange -> {
			// a picture of its own per path, in case the service recognises a picture it has already
			byte[] png = picture(exchange.getRequestURI().getPath().hashCode());
			exchange.getResponseHeaders().set("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, png.length);
			exchange.getResponseBody().write(png);
			exchange.close();
		});
		site.start();
		return site;
	}

	/** Registers a new account and returns its access token. */
	private static String signUp(MobileClient client, String prefix) throws Exception {
		String username = prefix + UUID.randomUUID().toString().substring(0, 8);
		String password = "amber orchard compass " + UUID.randomUUID();
		assertThat(client.postJson("/api/accounts", """
				{"username": "%s", "email": "%s@example.com", "password": "%s"}""".formatted(username, username,
				password), null).statusCode()).isEqualTo(201);
		return client.logIn(username, password).get("access_token").asString();
	}

	private static String save(MobileClient client, String token, String file, String title) throws Exception {
		HttpResponse<String> saved = client.postJson("/api/images", """
				{"url": "http://127.0.0.2:%d/%s", "title": "%s"}""".formatted(stack.picturePort(), file, title), token);
		assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
		return client.json(saved).get("id").asString();
	}

	private static void view(MobileClient client, String token, String image, int times) throws Exception {
		for (int i = 0; i < times; i++) {
			HttpResponse<String> detail = client.get("/api/images/" + image, token);
			assertThat(detail.statusCode()).as(detail.body()).isEqualTo(200);
		}
	}

	private static List<JsonNode> ranking(MobileClient client, String token) throws Exception {
		HttpResponse<String> answer = client.get("/api/rankings/images?by=views&window=day&limit=100", token);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		List<JsonNode> items = new ArrayList<>();
		client.json(answer).forEach(items::add);
		return items;
	}

	/** The given images in the order the ranking lists them (the stack's data outlives a run). */
	private static List<String> rankedAmong(MobileClient client, String token, String... images) throws Exception {
		List<String> wanted = List.of(images);
		return ranking(client, token).stream()
			.map(item -> item.get("imageId").asString())
			.filter(wanted::contains)
			.toList();
	}

	private static byte[] picture(int seed) throws java.io.IOException {
		java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(320, 240,
				java.awt.image.BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < 320; x++) {
			for (int y = 0; y < 240; y++) {
				image.setRGB(x, y, ((x << 8) ^ y ^ seed) & 0xFFFFFF);
			}
		}
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		javax.imageio.ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

}
