package dev.bookmarks.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service with the limits it ships with, a real SMTP server (GreenMail, restarted empty for
 * every test) and a clock the tests can move. Its own application context, shared by the tests
 * extending it.
 *
 * <p>Per-address limits would soon refuse tests that all call from loopback, so every call here
 * names its own client address in {@code X-Forwarded-For}, which the service believes from
 * loopback (a trusted proxy, like the gateway).
 */
@Import(ThrottledAuthServiceTest.TestClock.class)
public abstract class ThrottledAuthServiceTest extends AuthServiceTest {

	protected static final String PASSWORD = "a long and unusual passphrase";

	private static final int SMTP_PORT = freePort();

	private static final AtomicInteger ADDRESSES = new AtomicInteger();

	/**
	 * Generous: a burst of parallel logins queues for the few hashing permits, and on a shared
	 * machine each hash may take a good part of a second.
	 */
	private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(60);

	@RegisterExtension
	protected static final GreenMailExtension mail = new GreenMailExtension(
			new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
		.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

	@Autowired
	protected MovableClock clock;

	@Autowired
	protected CountedPasswordChecks passwordChecks;

	@DynamicPropertySource
	static void throttled(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP_PORT);
		// As in application.yml, over the relaxed limits of AuthServiceTest.
		registry.add("bookmarks.auth.throttling.registrations-per-address.max", () -> 10);
		registry.add("bookmarks.auth.throttling.login-failures-per-address.max", () -> 20);
		registry.add("bookmarks.auth.password-reset.requests-per-address.max", () -> 30);
		// Bursts of parallel logins wait for a hashing permit on a busy machine: a check that gave up
		// waiting would be given back, and the limits the tests count on would not be reached.
		registry.add("bookmarks.auth.password-hashing.permit-wait", () -> "30s");
		// Retries come due by moving the clock; the mailer only needs to look often.
		registry.add("bookmarks.auth.password-reset.poll-interval", () -> "200ms");
		registry.add("bookmarks.auth.email-change.poll-interval", () -> "200ms");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class TestClock {

		@Bean
		MovableClock movableClock() {
			return new MovableClock();
		}

		@Bean
		static CountedPasswordChecks countedPasswordChecks() {
			return new CountedPasswordChecks();
		}

	}

	/**
	 * Lets the mailer finish what this test queued, or it would reach the next test's GreenMail.
	 * Runs before the GreenMail extension stops the server.
	 */
	@AfterEach
	void settle() throws InterruptedException {
		clock.reset();
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (jdbc.queryForObject("SELECT (SELECT count(*) FROM password_reset_request) + "
				+ "(SELECT count(*) FROM email_change_mail)", Long.class) > 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		jdbc.update("DELETE FROM password_reset_request");
		jdbc.update("DELETE FROM email_change_mail");
	}

	/** Polls the condition until it holds; fails the test after 15 seconds. */
	protected static void awaitCondition(BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 15 s").isLessThan(deadline);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** A client address no other call uses (from 198.18.0.0/15, set aside for tests). */
	protected static String newClientAddress() {
		int n = ADDRESSES.incrementAndGet();
		return "198." + (18 + (n >> 16 & 1)) + "." + (n >> 8 & 255) + "." + (n & 255);
	}

	protected HttpResponse<String> postJsonFrom(String clientAddress, String path, Object body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.header("X-Forwarded-For", clientAddress)
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build();
		return send(plainClient(), request);
	}

	/** Registers an account with {@link #PASSWORD}, from an address of its own. */
	protected NewAccount newAccount() {
		String username = unique("user");
		String email = username + "@example.com";
		HttpResponse<String> response = postJsonFrom(newClientAddress(), "/api/accounts",
				Map.of("username", username, "email", email, "password", PASSWORD));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return new NewAccount(json(response).get("id").asString(), username, email);
	}

	protected record NewAccount(String id, String username, String email) {
	}

	/** One login attempt on the form, from a fresh browser at the given client address. */
	protected LoginAttempt logIn(String login, String password, String clientAddress) {
		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		HttpResponse<String> page = send(browser, HttpRequest.newBuilder(URI.create(base() + "/login"))
			.timeout(LOGIN_TIMEOUT)
			.header("Accept", "text/html")
			.header("X-Forwarded-For", clientAddress)
			.build());
		assertThat(page.statusCode()).isEqualTo(200);
		String form = Browser.encode(
				Map.of("username", login, "password", password, "_csrf", Browser.csrfToken(page.body())));
		long started = System.nanoTime();
		HttpResponse<String> answer = send(browser, HttpRequest.newBuilder(URI.create(base() + "/login"))
			.timeout(LOGIN_TIMEOUT)
			.header("Accept", "text/html")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Forwarded-For", clientAddress)
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build());
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		// A failed login leads back to the form; a successful one away to the web app (not running here).
		boolean toForm = answer.statusCode() == 302 && Browser.location(answer).startsWith(base() + "/login");
		HttpResponse<String> next = toForm ? send(browser,
				HttpRequest.newBuilder(URI.create(Browser.location(answer)))
					.timeout(LOGIN_TIMEOUT)
					.header("Accept", "text/html")
					.header("X-Forwarded-For", clientAddress)
					.build())
				: null;
		return new LoginAttempt(answer, next, took);
	}

	/**
	 * A login's answer, the page its redirect leads to, and how long the answer took.
	 */
	protected record LoginAttempt(HttpResponse<String> answer, HttpResponse<String> next, Duration took) {

		public boolean succeeded() {
			return answer.statusCode() == 302 && !Browser.location(answer).contains("error");
		}

	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
