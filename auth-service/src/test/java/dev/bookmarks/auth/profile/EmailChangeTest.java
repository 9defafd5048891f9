package dev.bookmarks.auth.profile;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bookmarks.auth.SignIn;
import dev.bookmarks.auth.ThrottledAuthServiceTest;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changing the email address over real HTTP, with the mails on a real SMTP server: the current
 * password, the link to the new address, the notice to the old one, and the same answer whether
 * or not another account has the new address.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmailChangeTest extends ThrottledAuthServiceTest {

	private static final Pattern LINK = Pattern
		.compile(Pattern.quote(PUBLIC_ORIGIN + "/account/email/confirm?token=") + "([A-Za-z0-9_-]+)");

	private static final Pattern RESET_LINK = Pattern
		.compile(Pattern.quote(PUBLIC_ORIGIN + "/password-reset/confirm?token=") + "([A-Za-z0-9_-]+)");

	@Test
	void theNewAddressBecomesTheAccountsOnlyWhenTheLinkMailedToItIsOpened() throws Exception {
		NewAccount account = newAccount();
		String accessToken = accessToken(account);
		String local = unique("moved");
		String newEmail = local + "@New.Example";
		String stored = local + "@new.example";

		HttpResponse<String> accepted = patch(accessToken,
				Map.of("email", newEmail, "currentPassword", PASSWORD, "firstName", "Moved"));

		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		assertThat(accepted.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/json"));
		JsonNode body = json(accepted);
		assertThat(body.get("id").asString()).isEqualTo(account.id());
		assertThat(body.get("email").asString()).isEqualTo(account.email());
		assertThat(body.get("pendingEmail").asString()).isEqualTo(stored);
		assertThat(body.get("firstName").asString()).as("the other fields change at once").isEqualTo("Moved");
		JsonNode me = json(get("/api/accounts/me", accessToken));
		assertThat(me.get("email").asString()).isEqualTo(account.email());
		assertThat(me.get("firstName").asString()).isEqualTo("Moved");

		MimeMessage confirmation = onlyMailTo(stored);
		assertThat(confirmation.getSubject()).isEqualTo("Confirm your new Bookmarks email address");
		assertThat(confirmation.getFrom()).extracting(Object::toString).containsExactly("no-reply@localhost");
		String link = tokenIn(confirmation, LINK);
		assertThat(Base64.getUrlDecoder().decode(link)).hasSize(32);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM email_change WHERE token_hash = ?", Long.class,
				sha256(link))).as("only the hash is stored").isEqualTo(1);
		MimeMessage notice = onlyMailTo(account.email());
		assertThat(notice.getSubject()).isEqualTo("Your Bookmarks email address is about to change");
		String noticeText = (String) notice.getContent();
		assertThat(noticeText).contains(local.substring(0, 1) + "***@n***.example")
			.doesNotContain(local)
			.doesNotContain("/account/email/confirm")
			.contains(PUBLIC_ORIGIN + "/password-reset");
		assertThat(profileEvents(account)).isEqualTo(1);

		HttpResponse<String> confirmed = confirm(link);

		assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
		assertThat(json(get("/api/accounts/me", accessToken)).get("email").asString()).isEqualTo(stored);
		assertThat(profileEvents(account)).as("the change is published like any profile change").isEqualTo(2);
		assertThat(logIn(stored, PASSWORD, newClientAddress()).succeeded()).isTrue();
		assertThat(logIn(account.email(), PASSWORD, newClientAddress()).succeeded()).isFalse();
	}

	@Test
	void withoutTheCurrentPasswordAnEmailChangeIsA400AndChangesNothing() {
		NewAccount account = newAccount();
		String accessToken = accessToken(account);

		HttpResponse<String> missing = patch(accessToken, Map.of("email", unique("x") + "@example.com", "firstName",
				"Mallory"));
		Map<String, Object> nullPassword = new HashMap<>(Map.of("email", unique("x") + "@example.com"));
		nullPassword.put("currentPassword", null);
		HttpResponse<String> nulled = patch(accessToken, nullPassword);

		for (HttpResponse<String> response : List.of(missing, nulled)) {
			assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					type -> assertThat(type).startsWith("application/problem+json"));
			assertThat(json(response).get("errors").get(0).get("field").asString()).isEqualTo("currentPassword");
		}
		assertThat(json(get("/api/accounts/me", accessToken)).get("firstName").isNull()).isTrue();
		assertNothingPending(account);
	}

	@Test
	void aWrongPasswordIsA400ThatCountsTowardsTheLoginLock() {
		NewAccount account = newAccount();
		String accessToken = accessToken(account);
		HttpResponse<String> wrong = null;
		for (int i = 0; i < 4; i++) {
			wrong = patch(accessToken,
					Map.of("email", unique("x") + "@example.com", "currentPassword", "wrong " + i, "firstName", "M"));
			assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(400);
			assertThat(json(wrong).get("errors").get(0).get("field").asString()).isEqualTo("currentPassword");
		}
		// The fifth failure, on the login form: one lock for both.
		assertThat(logIn(account.username(), "wrong again", newClientAddress()).succeeded()).isFalse();

		HttpResponse<String> locked = patch(accessToken,
				Map.of("email", unique("x") + "@example.com", "currentPassword", PASSWORD, "firstName", "M"));

		assertThat(locked.statusCode()).isEqualTo(400);
		assertThat(json(locked)).isEqualTo(json(wrong));
		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isFalse();
		assertThat(json(get("/api/accounts/me", accessToken)).get("firstName").isNull()).isTrue();
		assertNothingPending(account);
	}

	/** Otherwise the answer tells whether an address has an account. */
	@Test
	void anAddressAnotherAccountHasGetsTheSameAnswerAndItsOwnerANoticeWithoutALink() throws Exception {
		NewAccount owner = newAccount();
		NewAccount asking = newAccount();
		NewAccount other = newAccount();
		String free = unique("free") + "@example.com";

		HttpResponse<String> forTaken = patch(accessToken(asking),
				Map.of("email", owner.email().toUpperCase(Locale.ROOT), "currentPassword", PASSWORD));
		HttpResponse<String> forFree = patch(accessToken(other), Map.of("email", free, "currentPassword", PASSWORD));

		assertThat(forTaken.statusCode()).as(forTaken.body()).isEqualTo(202);
		assertThat(forFree.statusCode()).isEqualTo(202);
		assertThat(fieldNames(json(forTaken))).isEqualTo(fieldNames(json(forFree)));
		assertThat(forTaken.headers().map().keySet()).isEqualTo(forFree.headers().map().keySet());
		assertThat(json(forTaken).get("email").asString()).isEqualTo(asking.email());
		MimeMessage toOwner = onlyMailTo(owner.email());
		assertThat(toOwner.getSubject()).isEqualTo("Someone asked to use your email address on Bookmarks");
		assertThat((String) toOwner.getContent()).doesNotContain("/account/email/confirm")
			.doesNotContain(asking.username());
		assertThat(onlyMailTo(asking.email()).getSubject()).isEqualTo("Your Bookmarks email address is about to change");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM email_change WHERE account_id = ?::uuid", Long.class,
				asking.id())).isZero();
		assertThat(json(get("/api/accounts/me", accessToken(asking))).get("email").asString())
			.isEqualTo(asking.email());
	}

	@Test
	void aLinkWorksOnceAndForTwentyFourHours() throws Exception {
		NewAccount first = newAccount();
		String firstEmail = unique("once") + "@example.com";
		String used = linkFor(accessToken(first), firstEmail);
		assertThat(confirm(used).statusCode()).isEqualTo(204);
		NewAccount second = newAccount();
		String secondEmail = unique("late") + "@example.com";
		String late = linkFor(accessToken(second), secondEmail);
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);

		assertInvalidLink(confirm(used));
		clock.advance(Duration.ofHours(24).plusSeconds(1));
		assertInvalidLink(confirm(late));
		clock.reset();
		assertInvalidLink(confirm(Base64.getUrlEncoder().withoutPadding().encodeToString(random)));
		assertInvalidLink(confirm("not-a-token"));
		assertThat(confirm("").statusCode()).isEqualTo(400);

		assertThat(json(get("/api/accounts/me", accessToken(second))).get("email").asString())
			.isEqualTo(second.email());
	}

	@Test
	void aLinkStillWorksJustBeforeTheTwentyFourHoursAreOver() throws Exception {
		NewAccount account = newAccount();
		String newEmail = unique("intime") + "@example.com";
		String link = linkFor(accessToken(account), newEmail);

		clock.advance(Duration.ofHours(23).plusMinutes(59));

		assertThat(confirm(link).statusCode()).isEqualTo(204);
	}

	@Test
	void aNewerRequestReplacesTheOlderOne() throws Exception {
		NewAccount account = newAccount();
		String accessToken = accessToken(account);
		String older = unique("older") + "@example.com";
		String newer = unique("newer") + "@example.com";
		String olderLink = linkFor(accessToken, older);
		String newerLink = linkFor(accessToken, newer);

		assertInvalidLink(confirm(olderLink));
		assertThat(confirm(newerLink).statusCode()).isEqualTo(204);
		assertThat(json(get("/api/accounts/me", accessToken)).get("email").asString()).isEqualTo(newer);
	}

	@Test
	void anAddressTakenBeforeTheLinkIsOpenedIsA409AndChangesNothing() throws Exception {
		NewAccount account = newAccount();
		String contested = unique("contested") + "@example.com";
		String link = linkFor(accessToken(account), contested);
		HttpResponse<String> registered = postJsonFrom(newClientAddress(), "/api/accounts",
				Map.of("username", unique("quick"), "email", contested, "password", PASSWORD));
		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);

		HttpResponse<String> conflict = confirm(link);

		assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
		assertThat(conflict.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(json(conflict).get("errors").get(0).get("field").asString()).isEqualTo("email");
		assertThat(json(get("/api/accounts/me", accessToken(account))).get("email").asString())
			.isEqualTo(account.email());
		assertInvalidLink(confirm(link));
	}

	@Test
	void twoAccountsConfirmingOneAddressAtOnceEndWithOneOwner() throws Exception {
		String contested = unique("racing") + "@example.com";
		List<NewAccount> racers = List.of(newAccount(), newAccount());
		for (NewAccount racer : racers) {
			patch(accessToken(racer), Map.of("email", contested, "currentPassword", PASSWORD));
		}
		List<MimeMessage> links = mailsTo(contested, 2);
		List<CompletableFuture<HttpResponse<String>>> confirmations = new ArrayList<>();
		for (MimeMessage message : links) {
			String link = tokenIn(message, LINK);
			confirmations.add(CompletableFuture.supplyAsync(() -> confirm(link)));
		}

		List<Integer> statuses = confirmations.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

		assertThat(statuses).containsExactlyInAnyOrder(204, 409);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM account WHERE lower(email) = lower(?)", Long.class,
				contested)).isEqualTo(1);
	}

	@Test
	void askingForAndConfirmingAChangeEndOutstandingPasswordResetLinks() throws Exception {
		NewAccount account = newAccount();
		String accessToken = accessToken(account);
		String newEmail = unique("reset") + "@example.com";
		String beforeRequest = resetLink(account.email(), 1);

		String link = linkFor(accessToken, newEmail);
		String beforeConfirmation = resetLink(account.email(), 2);
		assertThat(confirm(link).statusCode()).isEqualTo(204);

		for (String reset : List.of(beforeRequest, beforeConfirmation)) {
			HttpResponse<String> refused = postJsonFrom(newClientAddress(), "/api/accounts/password-reset/confirm",
					Map.of("token", reset, "newPassword", "a brand new passphrase of mine"));
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
		}
	}

	/** Whoever asked for the change may have guessed the password: a new one stops it. */
	@Test
	void aPasswordResetEndsAPendingChange() throws Exception {
		NewAccount account = newAccount();
		String newEmail = unique("stopped") + "@example.com";
		String link = linkFor(accessToken(account), newEmail);

		HttpResponse<String> reset = postJsonFrom(newClientAddress(), "/api/accounts/password-reset/confirm",
				Map.of("token", resetLink(account.email(), 1), "newPassword", "a brand new passphrase of mine"));
		assertThat(reset.statusCode()).as(reset.body()).isEqualTo(204);

		assertInvalidLink(confirm(link));
	}

	@Test
	void theSixthRequestOfAnAccountWithinAnHourIsA429() {
		NewAccount account = newAccount();
		String accessToken = accessToken(account);
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> accepted = patch(accessToken,
					Map.of("email", unique("many") + "@example.com", "currentPassword", PASSWORD));
			assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		}

		HttpResponse<String> refused = patch(accessToken,
				Map.of("email", unique("many") + "@example.com", "currentPassword", PASSWORD));

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
				seconds -> assertThat(seconds).isBetween(3500L, 3600L));
		assertThat(patch(accessToken, Map.of("firstName", "Still")).statusCode()).as("other changes go on")
			.isEqualTo(200);
	}

	/** The queued mail's retries, as for password reset mails: the same mailer does both. */
	@Test
	void aMailThatCannotBeSentIsRetriedLaterAndItsLinkOnlyExistsOnceSent(CapturedOutput output) throws Exception {
		NewAccount account = newAccount();
		String accessToken = accessToken(account);
		String newEmail = unique("retried") + "@example.com";
		mail.stop();

		assertThat(patch(accessToken, Map.of("email", newEmail, "currentPassword", PASSWORD)).statusCode())
			.isEqualTo(202);

		awaitCondition(() -> jdbc.queryForObject("SELECT count(*) FROM email_change_mail WHERE account_id = ?::uuid "
				+ "AND kind = 'CONFIRM' AND attempts = 1 AND last_error IS NOT NULL", Long.class, account.id()) == 1);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM email_change WHERE account_id = ?::uuid "
				+ "AND token_hash IS NOT NULL", Long.class, account.id())).as("no link without its mail").isZero();
		assertThat(output)
			.contains("Email change mail CONFIRM for account " + account.id() + " failed (attempt 1 of 6)");

		mail.start();
		clock.advance(Duration.ofSeconds(31));

		String link = tokenIn(onlyMailTo(newEmail), LINK);
		assertThat(confirm(link).statusCode()).isEqualTo(204);
		assertThat(json(get("/api/accounts/me", accessToken)).get("email").asString()).isEqualTo(newEmail);
	}

	// ----- helpers -----

	private String accessToken(NewAccount account) {
		return new SignIn(base()).tokens(account.username(), PASSWORD).accessToken();
	}

	private HttpResponse<String> patch(String accessToken, Map<String, ?> body) {
		return send(plainClient(), HttpRequest.newBuilder(URI.create(base() + "/api/accounts/me"))
			.timeout(Duration.ofSeconds(20))
			.header("Authorization", "Bearer " + accessToken)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.header("X-Forwarded-For", newClientAddress())
			.method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build());
	}

	/** Asks for the new address; the token of the link mailed to it. */
	private String linkFor(String accessToken, String newEmail) throws Exception {
		HttpResponse<String> accepted = patch(accessToken, Map.of("email", newEmail, "currentPassword", PASSWORD));
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		return tokenIn(onlyMailTo(newEmail), LINK);
	}

	private HttpResponse<String> confirm(String token) {
		return postJsonFrom(newClientAddress(), "/api/accounts/email-change/confirm", Map.of("token", token));
	}

	/** Asks for a password reset of the address; the link of the {@code n}th reset mail to it. */
	private String resetLink(String email, int n) throws Exception {
		assertThat(postJsonFrom(newClientAddress(), "/api/accounts/password-reset", Map.of("email", email))
			.statusCode()).isEqualTo(202);
		List<MimeMessage> resets = new ArrayList<>();
		awaitCondition(() -> {
			resets.clear();
			try {
				for (MimeMessage message : mailsTo(email, 0)) {
					if ("Reset your Bookmarks password".equals(message.getSubject())) {
						resets.add(message);
					}
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			return resets.size() >= n;
		});
		return tokenIn(resets.get(n - 1), RESET_LINK);
	}

	private void assertInvalidLink(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(json(response).get("errors").get(0).get("field").asString()).isEqualTo("token");
	}

	private void assertNothingPending(NewAccount account) {
		assertThat(jdbc.queryForObject("SELECT count(*) FROM email_change WHERE account_id = ?::uuid", Long.class,
				account.id())).isZero();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM email_change_mail WHERE account_id = ?::uuid", Long.class,
				account.id())).isZero();
		assertThat(mail.getReceivedMessages()).isEmpty();
	}

	private long profileEvents(NewAccount account) {
		return jdbc.queryForObject(
				"SELECT count(*) FROM outbox WHERE aggregate_id = ? AND event_type = 'UserProfileUpdated'", Long.class,
				account.id());
	}

	private static MimeMessage onlyMailTo(String address) throws Exception {
		List<MimeMessage> mails = mailsTo(address, 1);
		assertThat(mails).hasSize(1);
		return mails.get(0);
	}

	/** Waits for {@code count} mails to the address, oldest first. */
	private static List<MimeMessage> mailsTo(String address, int count) throws Exception {
		List<MimeMessage> found = new ArrayList<>();
		awaitCondition(() -> {
			found.clear();
			for (MimeMessage message : mail.getReceivedMessages()) {
				try {
					Address[] recipients = message.getAllRecipients();
					if (recipients != null && Arrays.stream(recipients)
						.anyMatch(recipient -> recipient.toString().equalsIgnoreCase(address))) {
						found.add(message);
					}
				}
				catch (jakarta.mail.MessagingException ex) {
					throw new IllegalStateException(ex);
				}
			}
			return found.size() >= count;
		});
		return List.copyOf(found);
	}

	private static String tokenIn(MimeMessage message, Pattern pattern) throws Exception {
		String text = (String) message.getContent();
		Matcher link = pattern.matcher(text);
		assertThat(link.find()).as(text).isTrue();
		return link.group(1);
	}

	private static List<String> fieldNames(JsonNode node) {
		return node.propertyNames().stream().sorted().toList();
	}


	private static byte[] sha256(String token) throws Exception {
		return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
	}

}
