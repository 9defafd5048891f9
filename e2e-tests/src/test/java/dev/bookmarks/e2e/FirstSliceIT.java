package dev.bookmarks.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first thin slice, end to end on the whole local stack: an account registered through the
 * gateway in auth-service reaches social-graph-service as a UserRegistered event over Kafka, and
 * the directory lists it through the gateway to a caller holding a real access token. Also: a
 * password reset mail reaches the stack's mail sink, registrations are limited per client address
 * through the gateway, and a saved image is downloaded, stored and served through the gateway.
 */
class FirstSliceIT {

	private static LocalStack stack;

	@BeforeAll
	static void startTheStack() throws Exception {
		stack = LocalStack.start();
	}

	@AfterAll
	static void stopTheStack() throws Exception {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void environmentGivenToTheScriptReachesEveryService() throws Exception {
		for (String service : List.of("gateway", "auth-service", "bookmark-service", "social-graph-service",
				"activity-service", "ranking-service")) {
			String pid = Files.readString(stack.pidFile(service)).trim();
			String environment = new String(Files.readAllBytes(Path.of("/proc", pid, "environ")), UTF_8);
			assertThat(environment.split("\0")).as(service).contains(LocalStack.MARKER + "=reaches-every-service");
		}
	}

	@Test
	void registeredAccountIsListedInTheDirectory() throws Exception {
		MobileClient client = new MobileClient(stack.origin());
		String username = "ada" + UUID.randomUUID().toString().substring(0, 8);
		String password = "correct horse battery " + UUID.randomUUID();

		HttpResponse<String> created = client.postJson("/api/accounts", """
				{"username": "%s", "email": "%s@example.com", "password": "%s", "firstName": "Ada", "lastName": "Lovelace"}"""
			.formatted(username, username, password), null);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String accountId = client.json(created).get("id").asString();
		assertThat(created.headers().firstValue("Location")).hasValue(stack.origin() + "/api/accounts/" + accountId);

		HttpResponse<String> anonymous = client.get("/api/users", null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));

		String accessToken = client.logIn(username, password).get("access_token").asString();
		HttpResponse<String> me = client.get("/api/accounts/me", accessToken);
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		assertThat(client.json(me).get("username").asString()).isEqualTo(username);

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			HttpResponse<String> users = client.get("/api/users?limit=100", accessToken);
			assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
			JsonNode listed = null;
			for (JsonNode user : client.json(users).get("items")) {
				if (user.get("username").asString().equals(username)) {
					listed = user;
				}
			}
			assertThat(listed).as("%s in %s", username, users.body()).isNotNull();
			assertThat(listed.get("id").asString()).isEqualTo(accountId);
			assertThat(listed.get("displayName").asString()).isEqualTo("Ada Lovelace");
		});
	}

	/**
	 * The API documents through the gateway: the browser at /api/docs lists each service's OpenAPI
	 * document, each is read at /api/docs/<service>, and together they name every call of the public
	 * contract: docs/api.md, and the API.md of the shared design folder beside the repository when
	 * there is one.
	 */
	@Test
	void theServicesApiDocumentsThroughTheGatewayNameEveryCallOfTheContract() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> browser = http.send(HttpRequest.newBuilder(URI.create(stack.origin() + "/api/docs")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(browser.statusCode()).isEqualTo(200);
		assertThat(browser.headers().firstValue("Content-Security-Policy")).isPresent();

		Set<String> documented = new TreeSet<>();
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
		for (String service : List.of("auth-service", "bookmark-service", "social-graph-service", "activity-service",
				"ranking-service")) {
			assertThat(browser.body()).contains("/api/docs/" + service);
			// A service builds its document on the first read, which a loaded machine may make slow.
			HttpResponse<String> response = await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> http.send(HttpRequest.newBuilder(URI.create(stack.origin() + "/api/docs/" + service)).build(),
						HttpResponse.BodyHandlers.ofString()), answer -> answer.statusCode() == 200);
			JsonNode document = json.readTree(response.body());
			assertThat(document.get("openapi").asString()).as(service).startsWith("3.1");
			assertThat(document.at("/servers/0/url").asString()).as(service).isEqualTo("/");
			for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
				for (String method : List.of("get", "put", "post", "delete", "patch")) {
					if (path.getValue().has(method)) {
						documented.add(method.toUpperCase(java.util.Locale.ROOT) + " "
								+ path.getKey().replaceAll("\\{[^}]*}", "{}"));
					}
				}
			}
		}

		Path project = Path.of(System.getProperty("bookmarks.project.dir", "..")).toRealPath();
		List<Path> contracts = new java.util.ArrayList<>(List.of(project.resolve("docs/api.md")));
		if (Files.exists(project.resolve("../shared/API.md"))) {
			contracts.add(project.resolve("../shared/API.md"));
		}
		Set<String> missing = new TreeSet<>();
		for (Path contract : contracts) {
			for (String call : ContractPaths.of(contract)) {
				String path = call.substring(call.indexOf(' ') + 1);
				if (path.equals("/api/docs") || path.startsWith("/api/docs/")) {
					continue; // the documents themselves, which the gateway serves (read above)
				}
				// A path written without a method may also name a part of the API: /api/admin.
				boolean found = call.startsWith("ANY ")
						? documented.stream()
							.map(operation -> operation.substring(operation.indexOf(' ') + 1))
							.anyMatch(documentedPath -> documentedPath.equals(path) || documentedPath.startsWith(path + "/"))
						: documented.contains(call);
				if (!found) {
					missing.add(contract + ": " + call);
				}
			}
		}
		assertThat(missing).as("calls of the contract missing from %s", documented).isEmpty();
	}

	@Test
	void aPasswordResetMailReachesTheMailSinkAndItsLinkSetsANewPassword() throws Exception {
		MobileClient client = new MobileClient(stack.origin());
		String username = "grace" + UUID.randomUUID().toString().substring(0, 8);
		String email = username + "@example.com";
		HttpResponse<String> created = client.postJson("/api/accounts", """
				{"username": "%s", "email": "%s", "password": "a long and unusual passphrase"}"""
			.formatted(username, email), null);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

		HttpResponse<String> requested = client.postJson("/api/accounts/password-reset",
				"{\"email\": \"%s\"}".formatted(email), null);
		assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);

		Pattern link = Pattern.compile(Pattern.quote(stack.origin() + "/password-reset/confirm?token=") + "([A-Za-z0-9_-]+)");
		HttpClient http = HttpClient.newHttpClient();
		String token = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			HttpResponse<String> inbox = http.send(HttpRequest
				.newBuilder(URI.create(stack.mailApiUrl() + "/api/user/" + email + "/messages/INBOX"))
				.build(), HttpResponse.BodyHandlers.ofString());
			Matcher found = link.matcher(inbox.statusCode() == 200 ? inbox.body() : "");
			return found.find() ? found.group(1) : null;
		}, Objects::nonNull);

		HttpResponse<String> confirmed = client.postJson("/api/accounts/password-reset/confirm",
				"{\"token\": \"%s\", \"newPassword\": \"a brand new passphrase of mine\"}".formatted(token), null);
		assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
		assertThat(new MobileClient(stack.origin()).logIn(username, "a brand new passphrase of mine").get("access_token")
			.asString()).isNotBlank();
	}

	/**
	 * The bookmarklet's path: a person saves a picture from another site through the gateway; the
	 * server downloads it, and the stored thumbnail is served through the gateway, cached for good.
	 */
	@Test
	void aSavedImageIsDownloadedStoredAndServedThroughTheGateway() throws Exception {
		com.sun.net.httpserver.HttpServer site = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.2", stack.picturePort()), 0);
		byte[] png = picture();
		site.createContext("/holiday.png", exchange -> {
			exchange.getResponseHeaders().set("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, png.length);
			exchange.getResponseBody().write(png);
			exchange.close();
		});
		site.start();
		try {
			MobileClient client = new MobileClient(stack.origin());
			String username = "pix" + UUID.randomUUID().toString().substring(0, 8);
			String password = "tidal meadow cinnamon " + UUID.randomUUID();
			assertThat(client.postJson("/api/accounts", """
					{"username": "%s", "email": "%s@example.com", "password": "%s"}""".formatted(username, username,
					password), null).statusCode()).isEqualTo(201);
			String token = client.logIn(username, password).get("access_token").asString();

			HttpResponse<String> saved = client.postJson("/api/images", """
					{"url": "http://127.0.0.2:%d/holiday.png", "title": "Holiday"}""".formatted(stack.picturePort()),
					token);
			assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
			String thumbnail = client.json(saved).get("thumbnailUrl").asString();
			assertThat(thumbnail).startsWith(stack.origin() + "/media/images/");

			HttpResponse<String> picture = client.get(thumbnail.substring(stack.origin().length()), null);
			assertThat(picture.statusCode()).isEqualTo(200);
			assertThat(picture.headers().firstValue("Cache-Control")).hasValueSatisfying(
					value -> assertThat(value).contains("max-age=31536000", "immutable"));
			HttpResponse<String> loopback = client.postJson("/api/images", """
					{"url": "http://127.0.0.1:%d/holiday.png", "title": "Sneaky"}""".formatted(stack.picturePort()), token);
			assertThat(loopback.statusCode()).isEqualTo(400);
		}
		finally {
			site.stop(0);
		}
	}

	private static byte[] picture() throws java.io.IOException {
		java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(400, 300,
				java.awt.image.BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < 400; x++) {
			for (int y = 0; y < 300; y++) {
				image.setRGB(x, y, (x << 16) ^ (y << 4));
			}
		}
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		javax.imageio.ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	/**
	 * auth-service limits registrations per client address; through the gateway that must still be
	 * the client's address, not the gateway's (which would make the limit one for everybody).
	 */
	@Test
	void registrationsAreLimitedPerClientAddressThroughTheGateway() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		// Addresses of their own (198.18.0.0/15, for tests): the stack's database outlives a run.
		java.util.Random random = new java.util.Random();
		String first = "198.18." + random.nextInt(256) + "." + random.nextInt(256);
		String second = "198.19." + random.nextInt(256) + "." + random.nextInt(256);
		for (int i = 0; i < 10; i++) {
			assertThat(registerFrom(http, first).statusCode()).isEqualTo(201);
		}

		HttpResponse<String> refused = registerFrom(http, first);
		HttpResponse<String> otherClient = registerFrom(http, second);

		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(otherClient.statusCode()).as(otherClient.body()).isEqualTo(201);
	}

	/** As a client behind a proxy the gateway trusts (here: loopback) that names the client. */
	private static HttpResponse<String> registerFrom(HttpClient http, String clientAddress) throws Exception {
		String username = "lim" + UUID.randomUUID().toString().substring(0, 8);
		return http.send(HttpRequest.newBuilder(URI.create(stack.origin() + "/api/accounts"))
			.header("Content-Type", "application/json")
			.header("X-Forwarded-For", clientAddress)
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"username": "%s", "email": "%s@example.com", "password": "a long and unusual passphrase"}"""
				.formatted(username, username)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
