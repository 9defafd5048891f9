package dev.bookmarks.auth.recovery;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bookmarks.auth.Browser;
import dev.bookmarks.auth.ThrottledAuthServiceTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class PasswordResetTest extends ThrottledAuthServiceTest {

	private static final String NEW_PASSWORD = "a brand new passphrase of mine";

	private static final Pattern LINK = Pattern
		.compile(Pattern.quote(PUBLIC_ORIGIN + "/password-reset/confirm?token=") + "([A-Za-z0-9_-]+)");

	@Test
	void aResetMailBringsALinkThatSetsANewPassword() throws Exception {
		NewAccount account = newAccount();

		HttpResponse<String> accepted = requestReset(account.email().toUpperCase(), newClientAddress());

		assertThat(accepted.statusCode()).isEqualTo(202);
		MimeMessage message = nextMail();
		assertThat(message.getAllRecipients()).extracting(Object::toString).containsExactly(account.email());
		assertThat(message.getFrom()).extracting(Object::toString).containsExactly("no-reply@localhost");
		assertThat(message.getSubject()).isEqualTo("Reset your Bookmarks password");
		String token = tokenIn(message);
		// 256 random bits, URL-safe Base64 without padding; only the SHA-256 is stored.
		assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM password_reset_token WHERE token_hash = ?", Long.class,
				sha256(token))).isEqualTo(1);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM password_reset_token t WHERE position(? IN t::text) > 0",
				Long.class, token)).isZero();

		HttpResponse<String> confirmed = confirm(token, NEW_PASSWORD);

		assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
		assertThat(logIn(account.username(), NEW_PASSWORD, newClientAddress()).succeeded()).isTrue();
		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isFalse();
	}

	@Test
	void aLinkWorksOnlyOnce() throws Exception {
		NewAccount account = newAccount();
		requestReset(account.email(), newClientAddress());
		String token = tokenIn(nextMail());
		assertThat(confirm(token, NEW_PASSWORD).statusCode()).isEqualTo(204);

		HttpResponse<String> again = confirm(token, "yet another new passphrase");

		assertInvalidToken(again);
		assertThat(logIn(account.username(), NEW_PASSWORD, newClientAddress()).succeeded()).isTrue();
	}

	@Test
	void aLinkOlderThanAnHourIsRefused() throws Exception {
		NewAccount account = newAccount();
		requestReset(account.email(), newClientAddress());
		String token = tokenIn(nextMail());

		clock.advance(Duration.ofHours(1).plusSeconds(1));

		assertInvalidToken(confirm(token, NEW_PASSWORD));
		clock.reset();
		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isTrue();
	}

	@Test
	void aLinkStillWorksJustBeforeTheHourIsOver() throws Exception {
		NewAccount account = newAccount();
		requestReset(account.email(), newClientAddress());
		String token = tokenIn(nextMail());

		clock.advance(Duration.ofMinutes(59));

		assertThat(confirm(token, NEW_PASSWORD).statusCode()).isEqualTo(204);
	}

	@Test
	void aForgedTokenIsRefused() {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);

		assertInvalidToken(confirm(Base64.getUrlEncoder().withoutPadding().encodeToString(random), NEW_PASSWORD));
		assertInvalidToken(confirm("not-a-token", NEW_PASSWORD));
		assertInvalidToken(confirm("", NEW_PASSWORD));
	}

	@Test
	void aWeakNewPasswordIsRefusedAndTheLinkKeepsWorking() throws Exception {
		NewAccount account = newAccount();
		requestReset(account.email(), newClientAddress());
		String token = tokenIn(nextMail());

		HttpResponse<String> common = confirm(token, "password1234");
		HttpResponse<String> likeTheUsername = confirm(token, "my " + account.username() + " password");

		assertThat(common.statusCode()).isEqualTo(400);
		assertThat(common.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode error = json(common).get("errors").get(0);
		assertThat(error.get("field").asString()).isEqualTo("newPassword");
		assertThat(error.get("message").asString()).isEqualTo("This password is too common.");
		assertThat(json(likeTheUsername).get("errors").get(0).get("message").asString())
			.isEqualTo("This password is too similar to the username.");
		assertThat(confirm(token, NEW_PASSWORD).statusCode()).isEqualTo(204);
	}

	@Test
	void anUnknownAddressGetsTheSameAnswerAndNoMail() throws Exception {
		NewAccount account = newAccount();
		String unknown = unique("nobody") + "@example.com";

		HttpResponse<String> forUnknown = requestReset(unknown, newClientAddress());
		HttpResponse<String> forKnown = requestReset(account.email(), newClientAddress());

		assertThat(forUnknown.statusCode()).isEqualTo(202);
		assertThat(forUnknown.body()).isEqualTo(forKnown.body());
		assertThat(forUnknown.headers().map().keySet()).isEqualTo(forKnown.headers().map().keySet());
		assertThat(forUnknown.headers().firstValue("Content-Type")).isEqualTo(forKnown.headers().firstValue("Content-Type"));
		awaitMailerDone(unknown);
		awaitMailerDone(account.email());
		assertThat(mail.getReceivedMessages()).hasSize(1);
		assertThat(mail.getReceivedMessagesForDomain(unknown)).isEmpty();
		assertThat(mail.getReceivedMessagesForDomain(account.email())).hasSize(1);
	}

	@Test
	void aResetRevokesTheRefreshTokensOfTheAccount() throws Exception {
		NewAccount account = newAccount();
		String refreshToken = signInWithPkce(account.username());
		requestReset(account.email(), newClientAddress());
		String token = tokenIn(nextMail());

		assertThat(confirm(token, NEW_PASSWORD).statusCode()).isEqualTo(204);

		HttpResponse<String> refreshed = refresh(refreshToken);
		assertThat(refreshed.statusCode()).isEqualTo(400);
		assertThat(json(refreshed).get("error").asString()).isEqualTo("invalid_grant");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_authorization WHERE principal_name = ?", Long.class,
				account.id())).isZero();
	}

	@Test
	void usingOneLinkEndsEveryOtherLinkOfTheAccount() throws Exception {
		NewAccount account = newAccount();
		requestReset(account.email(), newClientAddress());
		String first = tokenIn(nextMail());
		requestReset(account.email(), newClientAddress());
		mail.waitForIncomingEmail(10_000, 2);
		String second = tokenIn(mail.getReceivedMessages()[1]);

		assertThat(confirm(second, NEW_PASSWORD).statusCode()).isEqualTo(204);

		assertInvalidToken(confirm(first, "yet another new passphrase"));
		assertThat(jdbc.queryForObject("SELECT count(*) FROM password_reset_token WHERE account_id = ?", Long.class,
				UUID.fromString(account.id()))).isZero();
	}

	@Test
	void aResetEndsALoginLock() throws Exception {
		NewAccount account = newAccount();
		for (int i = 0; i < 5; i++) {
			logIn(account.username(), "wrong " + i, newClientAddress());
		}
		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isFalse();
		requestReset(account.email(), newClientAddress());

		assertThat(confirm(tokenIn(nextMail()), NEW_PASSWORD).statusCode()).isEqualTo(204);

		assertThat(logIn(account.username(), NEW_PASSWORD, newClientAddress()).succeeded()).isTrue();
	}

	@Test
	void atMostFiveResetMailsAnHourGoToOneAddressWhateverTheAnswerSays(CapturedOutput output) throws Exception {
		NewAccount account = newAccount();
		List<HttpResponse<String>> answers = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			answers.add(requestReset(account.email(), newClientAddress()));
		}

		assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(202);
		assertThat(answers).extracting(HttpResponse::body).containsOnly(answers.get(0).body());
		awaitMailerDone(account.email());
		assertThat(mail.waitForIncomingEmail(10_000, 5)).isTrue();
		assertThat(mail.getReceivedMessages()).hasSize(5);
		assertThat(output).contains("not mailed");
	}

	@Test
	void theThirtyFirstResetRequestFromOneAddressWithinAnHourIsA429() {
		String address = newClientAddress();
		for (int i = 0; i < 30; i++) {
			assertThat(requestReset(unique("someone") + "@example.com", address).statusCode()).isEqualTo(202);
		}

		HttpResponse<String> refused = requestReset(unique("someone") + "@example.com", address);

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
				seconds -> assertThat(seconds).isBetween(3500L, 3600L));
	}

	@Test
	void aMailThatCannotBeSentIsRetriedLaterAndItsLinkOnlyExistsOnceSent(CapturedOutput output) throws Exception {
		NewAccount account = newAccount();
		mail.stop();

		assertThat(requestReset(account.email(), newClientAddress()).statusCode()).isEqualTo(202);

		awaitCondition(() -> jdbc.queryForObject("SELECT count(*) FROM password_reset_request WHERE lower(email) = "
				+ "lower(?) AND attempts = 1 AND last_error IS NOT NULL", Long.class, account.email()) == 1);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM password_reset_token WHERE account_id = ?", Long.class,
				UUID.fromString(account.id()))).isZero();
		assertThat(output).contains("Password reset mail for account " + account.id() + " failed (attempt 1 of 6)");

		mail.start();
		clock.advance(Duration.ofSeconds(31));

		String token = tokenIn(nextMail());
		assertThat(confirm(token, NEW_PASSWORD).statusCode()).isEqualTo(204);
		awaitMailerDone(account.email());
	}

	/**
	 * Both answers do the same work (the account is looked up after the answer, by the mailer), so
	 * their times differ by noise only. Medians of interleaved requests.
	 */
	@Test
	void requestsForKnownAndUnknownAddressesTakeAboutAsLong() {
		List<NewAccount> accounts = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			accounts.add(newAccount());
		}
		int rounds = 16;
		List<Duration> known = new ArrayList<>();
		List<Duration> unknown = new ArrayList<>();
		for (int i = 0; i < rounds; i++) {
			String email = accounts.get(i % 4).email();
			known.add(timed(() -> requestReset(email, newClientAddress())));
			unknown.add(timed(() -> requestReset(unique("nobody") + "@example.com", newClientAddress())));
		}

		Duration knownMedian = known.stream().sorted().toList().get(rounds / 2);
		Duration unknownMedian = unknown.stream().sorted().toList().get(rounds / 2);
		System.out.printf("Reset request medians of %d: known address %.1f ms, unknown address %.1f ms%n", rounds,
				knownMedian.toNanos() / 1e6, unknownMedian.toNanos() / 1e6);
		Duration difference = knownMedian.minus(unknownMedian).abs();
		assertThat(difference).isLessThan(Duration.ofMillis(10).plus(knownMedian.dividedBy(2)));
	}

	// ----- helpers -----

	private HttpResponse<String> requestReset(String email, String clientAddress) {
		return postJsonFrom(clientAddress, "/api/accounts/password-reset", Map.of("email", email));
	}

	private HttpResponse<String> confirm(String token, String newPassword) {
		return postJsonFrom(newClientAddress(), "/api/accounts/password-reset/confirm",
				Map.of("token", token, "newPassword", newPassword));
	}

	private void assertInvalidToken(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("token");
		assertThat(problem.get("errors").get(0).get("message").asString()).isNotBlank();
	}

	private static MimeMessage nextMail() {
		assertThat(mail.waitForIncomingEmail(10_000, 1)).as("a mail within 10 s").isTrue();
		MimeMessage[] messages = mail.getReceivedMessages();
		return messages[messages.length - 1];
	}

	private static String tokenIn(MimeMessage message) throws Exception {
		String text = (String) message.getContent();
		Matcher link = LINK.matcher(text);
		assertThat(link.find()).as(text).isTrue();
		return link.group(1);
	}

	/** The mailer is done with every request for the address: sent, or found to have no account. */
	private void awaitMailerDone(String email) {
		awaitCondition(() -> jdbc.queryForObject(
				"SELECT count(*) FROM password_reset_request WHERE lower(email) = lower(?)", Long.class, email) == 0);
	}

	private static Duration timed(Runnable action) {
		long started = System.nanoTime();
		action.run();
		return Duration.ofNanos(System.nanoTime() - started);
	}

	private static byte[] sha256(String token) throws Exception {
		return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
	}

	/** The mobile app's sign-in (authorization code with PKCE); the refresh token it gets. */
	private String signInWithPkce(String username) throws Exception {
		String redirectUri = "http://127.0.0.1:54321/callback";
		byte[] random = new byte[48];
		new SecureRandom().nextBytes(random);
		String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		String challenge = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		Browser browser = new Browser();
		String authorize = base() + "/oauth2/authorize?response_type=code&client_id=bookmarks-mobile&scope="
				+ encode("openid profile email") + "&state=s&redirect_uri=" + encode(redirectUri) + "&code_challenge="
				+ challenge + "&code_challenge_method=S256";
		String loginPage = Browser.location(browser.get(authorize));
		HttpResponse<String> page = browser.get(loginPage);
		HttpResponse<String> signedIn = browser.postForm(loginPage,
				Map.of("username", username, "password", PASSWORD, "_csrf", Browser.csrfToken(page.body())));
		String callback = Browser.location(browser.get(Browser.location(signedIn)));
		assertThat(callback).startsWith(redirectUri);
		HttpResponse<String> token = postForm(Map.of("grant_type", "authorization_code", "code",
				Browser.queryOf(callback).get("code"), "redirect_uri", redirectUri, "client_id", "bookmarks-mobile",
				"code_verifier", verifier));
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		// Refresh once, to see that refreshing works before the reset; the rotated token is the live one.
		HttpResponse<String> refreshed = refresh(json(token).get("refresh_token").asString());
		assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
		return json(refreshed).get("refresh_token").asString();
	}

	private HttpResponse<String> refresh(String refreshToken) {
		return postForm(
				Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", "bookmarks-mobile"));
	}

	private HttpResponse<String> postForm(Map<String, String> form) {
		return send(plainClient(), HttpRequest.newBuilder(URI.create(base() + "/oauth2/token"))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(Browser.encode(form)))
			.build());
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
