package dev.bookmarks.gateway.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.bookmarks.platform.test.ServiceTestProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app's files as the gateway serves them: every public page path answers the shell that
 * names the configured public origin (the bookmarklet's target), the modules it loads exist, and
 * nothing in the files needs what the Content-Security-Policy forbids. The pages themselves run in
 * e2e-tests' BrowserJourneyIT, in Chromium.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebPagesTest {

	static {
		BlockHound.install();
	}

	static final String ORIGIN = "https://bookmarks.example";

	private static final Path WEB = Path.of("src/main/resources/web");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ServiceTestProperties.redis(registry);
		registry.add("BOOKMARKS_GATEWAY_MANAGEMENT_PORT", () -> "0");
		// The HTTPS listener's fixed port (8443) may be taken by a stack running beside the build.
		registry.add("BOOKMARKS_GATEWAY_HTTPS_ENABLED", () -> "false");
		registry.add("BOOKMARKS_PUBLIC_ORIGIN", () -> ORIGIN);
		registry.add("BOOKMARKS_GATEWAY_CLIENT_SECRET", () -> "test-secret");
	}

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void client() {
		client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
	}

	@Test
	void publicPagesAnswerTheShellNamingThePublicOrigin() {
		for (String page : List.of("/register", "/password-reset", "/password-reset/confirm?token=abc",
				"/account/email/confirm?token=abc", "/bookmarklet")) {
			String html = client.get()
				.uri(page)
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.contentType("text/html;charset=UTF-8")
				.expectHeader()
				.cacheControl(org.springframework.http.CacheControl.noStore())
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(html).as(page)
				.contains("<meta name=\"bookmarks-origin\" content=\"" + ORIGIN + "\">")
				.contains("<script type=\"module\" src=\"/assets/app.js\"></script>");
		}
	}

	/**
	 * The API browser: one page listing every service's document (each read through the gateway at
	 * /api/docs/<service>), Swagger UI's files from the gateway itself, and no inline code, so the
	 * gateway's Content-Security-Policy holds.
	 */
	@Test
	void theApiBrowserListsEveryServicesDocumentUnderTheContentSecurityPolicy() {
		String html = client.get()
			.uri("/api/docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("text/html;charset=UTF-8")
			.expectHeader()
			.value("Content-Security-Policy", policy -> assertThat(policy).contains("script-src 'self'")
				.contains("style-src 'self'")
				.doesNotContain("unsafe"))
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		for (String service : List.of("auth-service", "bookmark-service", "social-graph-service", "activity-service",
				"ranking-service")) {
			assertThat(html).contains("&quot;url&quot;:&quot;/api/docs/" + service + "&quot;");
		}
		assertThat(html).doesNotContainPattern("<script>|<style|\\sstyle=|\\son[a-z]+=");
		java.util.regex.Matcher assets = Pattern.compile("(?:src|href)=\"(/api/docs/[^\"]+)\"").matcher(html);
		int found = 0;
		while (assets.find()) {
			found++;
			client.get().uri(assets.group(1)).exchange().expectStatus().isOk();
		}
		assertThat(found).isEqualTo(4);
		client.get().uri("/api/docs/ui/no-such-file.js").exchange().expectStatus().isNotFound();
	}

	@Test
	void assetsAreServedAndRevalidated() {
		client.get()
			.uri("/assets/app.js")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/javascript")
			.expectHeader()
			.valueEquals("Cache-Control", "no-cache");
		String bookmarklet = client.get()
			.uri("/assets/bookmarklet-source.js")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(bookmarklet).contains("var ORIGIN = __ORIGIN__;");
		client.get().uri("/assets/nothing-here.js").exchange().expectStatus().isNotFound();
		client.get().uri("/assets/../application.yml").exchange().expectStatus().value(status -> assertThat(status).isIn(400, 404));
	}

	@Test
	void theLoginPageSendsToTheOAuth2Login() {
		for (String next : List.of("/images/new?url=https%3A%2F%2Fsite.example%2Fa.jpg", "//evil.example/", "https://evil.example/")) {
			client.get()
				.uri(uri -> uri.path("/login").queryParam("next", "{next}").build(next))
				.exchange()
				.expectStatus()
				.isFound()
				.expectHeader()
				.location("/oauth2/authorization/bookmarks");
		}
	}

	@Test
	void everyModuleThatThePagesImportExists() throws IOException {
		Pattern imports = Pattern.compile("(?:from|import\\()\\s*['`](\\.{1,2}/[^'`$]+)['`]");
		Pattern dynamicPage = Pattern.compile("module: '([a-z-]+)'");
		try (Stream<Path> files = Files.walk(WEB.resolve("assets"))) {
			for (Path file : files.filter(f -> f.toString().endsWith(".js")).toList()) {
				String source = Files.readString(file, UTF_8);
				imports.matcher(source).results().forEach(match -> assertThat(file.getParent().resolve(match.group(1)).normalize())
					.as("%s imports %s", file, match.group(1)).exists());
				dynamicPage.matcher(source).results().forEach(match -> assertThat(WEB.resolve("assets/pages/" + match.group(1) + ".js"))
					.as("page module of %s", match.group(1)).exists());
			}
		}
	}

	/**
	 * The policy allows scripts and styles from files only: no inline script or handler, no style
	 * attribute, and no HTML parsed from strings (which is also how user text would become markup).
	 */
	@Test
	void nothingNeedsWhatThePolicyForbids() throws IOException {
		try (Stream<Path> files = Files.walk(WEB)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				String text = read(file);
				if (file.toString().endsWith(".html")) {
					assertThat(text).as(file.toString())
						.doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>")
						.doesNotContainPattern("\\sstyle=")
						.doesNotContainPattern("\\son[a-z]+=");
				}
				if (file.toString().endsWith(".js")) {
					assertThat(text).as(file.toString())
						.doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")
						.doesNotContainPattern("setAttribute\\(\\s*['\"](style|on[a-z]+)['\"]");
				}
			}
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
