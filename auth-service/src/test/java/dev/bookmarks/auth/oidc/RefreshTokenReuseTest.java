package dev.bookmarks.auth.oidc;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import dev.bookmarks.auth.AuthServiceTest;
import dev.bookmarks.auth.Browser;
import dev.bookmarks.auth.OidcClient;
import dev.bookmarks.auth.OidcClient.Tokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A refresh token that comes back after it was replaced revokes the whole sign-in. */
class RefreshTokenReuseTest extends AuthServiceTest {

	private static final String PASSWORD = "a long and unusual passphrase";

	@Test
	void reusingAReplacedRefreshTokenRevokesTheNewestOneToo() {
		OidcClient client = new OidcClient(base());
		Tokens signIn = client.signInWithPassword(new Browser(), newAccount(), PASSWORD);
		String first = signIn.refreshToken();
		String second = refreshed(client.refresh(first));
		String third = refreshed(client.refresh(second));

		HttpResponse<String> reuse = client.refresh(first);

		assertThat(reuse.statusCode()).isEqualTo(400);
		assertThat(json(reuse).get("error").asString()).isEqualTo("invalid_grant");
		HttpResponse<String> newest = client.refresh(third);
		assertThat(newest.statusCode()).isEqualTo(400);
		assertThat(json(newest).get("error").asString()).isEqualTo("invalid_grant");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_authorization WHERE principal_name = ?",
				Integer.class, subjectOf(signIn))).isZero();
		// And a third attempt is just as dead, without an error of the server.
		assertThat(client.refresh(second).statusCode()).isEqualTo(400);
	}

	@Test
	void reuseRevokesOnlyTheSignInTheTokenBelongsTo() {
		OidcClient client = new OidcClient(base());
		String login = newAccount();
		Tokens phone = client.signInWithPassword(new Browser(), login, PASSWORD);
		Tokens tablet = client.signInWithPassword(new Browser(), login, PASSWORD);
		refreshed(client.refresh(phone.refreshToken()));

		assertThat(client.refresh(phone.refreshToken()).statusCode()).isEqualTo(400);

		assertThat(client.refresh(tablet.refreshToken()).statusCode()).isEqualTo(200);
	}

	@Test
	void usedRefreshTokensAreKeptOnlyAsHashesUntilTheyWouldHaveExpired() {
		OidcClient client = new OidcClient(base());
		Tokens signIn = client.signInWithPassword(new Browser(), newAccount(), PASSWORD);
		String authorizationId = jdbc.queryForObject("SELECT id FROM oauth2_authorization WHERE principal_name = ?",
				String.class, subjectOf(signIn));

		refreshed(client.refresh(signIn.refreshToken()));

		List<Map<String, Object>> rows = jdbc.queryForList(
				"SELECT token_hash, expires_at FROM oauth2_used_refresh_token WHERE authorization_id = ?",
				authorizationId);
		assertThat(rows).hasSize(1);
		assertThat((byte[]) rows.get(0).get("token_hash")).isEqualTo(UsedRefreshTokens.hash(signIn.refreshToken()));
		Instant expiresAt = ((java.sql.Timestamp) rows.get(0).get("expires_at")).toInstant();
		Instant fourteenDays = Instant.now().plusSeconds(14 * 86400);
		assertThat(expiresAt).isBetween(fourteenDays.minusSeconds(120), fourteenDays);
	}

	@Test
	void expiredRecordsOfUsedTokensAreCleanedUpByLaterRefreshes() {
		jdbc.update("INSERT INTO oauth2_used_refresh_token (token_hash, authorization_id, expires_at) "
				+ "VALUES (?, 'long-gone', now() - interval '1 day')", UsedRefreshTokens.hash(unique("expired")));
		OidcClient client = new OidcClient(base());
		Tokens signIn = client.signInWithPassword(new Browser(), newAccount(), PASSWORD);

		refreshed(client.refresh(signIn.refreshToken()));

		assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_used_refresh_token WHERE expires_at < now()",
				Integer.class)).isZero();
	}

	/** Two parties racing with one token: at most one wins, and what it won is revoked as well. */
	@Test
	void twoRefreshesRacingWithOneTokenLeaveNoWorkingToken() throws Exception {
		OidcClient client = new OidcClient(base());
		Tokens signIn = client.signInWithPassword(new Browser(), newAccount(), PASSWORD);
		CyclicBarrier start = new CyclicBarrier(2);
		List<CompletableFuture<HttpResponse<String>>> racers = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			racers.add(CompletableFuture.supplyAsync(() -> {
				try {
					start.await();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				return client.refresh(signIn.refreshToken());
			}));
		}

		List<HttpResponse<String>> responses = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> racer : racers) {
			responses.add(racer.get());
		}

		assertThat(responses).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 400);
		String won = json(responses.stream().filter(response -> response.statusCode() == 200).findFirst().orElseThrow())
			.get("refresh_token")
			.asString();
		assertThat(client.refresh(won).statusCode()).isEqualTo(400);
	}

	private static String refreshed(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json(response).get("refresh_token").asString();
	}

	private static String subjectOf(Tokens tokens) {
		return OidcClient.payloadOf(tokens.accessToken()).get("sub").asString();
	}

	private String newAccount() {
		String username = unique("reuse");
		HttpResponse<String> response = postJson("/api/accounts",
				Map.of("username", username, "email", username + "@example.com", "password", PASSWORD));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return username;
	}

}
