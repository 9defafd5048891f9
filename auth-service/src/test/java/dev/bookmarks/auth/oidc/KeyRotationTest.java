package dev.bookmarks.auth.oidc;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bookmarks.auth.AuthServiceTest;
import dev.bookmarks.auth.Browser;
import dev.bookmarks.auth.OidcClient;
import dev.bookmarks.platform.security.BookmarksJwt;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signing-key rotation: the JWKS publishes the signing key and the previous keys, so a token signed
 * before the rotation still validates wherever the API validates tokens.
 */
class KeyRotationTest extends AuthServiceTest {

	private static final String PASSWORD = "a long and unusual passphrase";

	@Test
	void theJwksListsTheSigningKeyAndThePreviousKeyWithoutPrivateParts() {
		JsonNode keys = json(get("/oauth2/jwks", null)).get("keys");

		assertThat(keys).hasSize(2);
		assertThat(keys.findValuesAsString("kid")).containsExactly(signingKeyId(), PREVIOUS_SIGNING_KEY.getKeyID());
		for (JsonNode key : keys) {
			assertThat(key.get("kty").asString()).isEqualTo("RSA");
			assertThat(key.get("use").asString()).isEqualTo("sig");
			assertThat(key.has("d")).isFalse();
			assertThat(key.has("p")).isFalse();
		}
	}

	@Test
	void newTokensAreSignedWithTheCurrentKeyAndNamedByItsId() {
		OidcClient.Tokens tokens = new OidcClient(base()).signInWithPassword(new Browser(), newAccount().get("username"),
				PASSWORD);

		assertThat(OidcClient.headerOf(tokens.accessToken()).get("kid").asString()).isEqualTo(signingKeyId());
		assertThat(OidcClient.headerOf(tokens.idToken()).get("kid").asString()).isEqualTo(signingKeyId());
		assertThat(resourceServer().decode(tokens.accessToken()).getSubject())
			.isEqualTo(OidcClient.payloadOf(tokens.accessToken()).get("sub").asString());
	}

	@Test
	void aTokenSignedByThePreviousKeyValidatesAtAResourceServerThatReadsTheJwks() throws JOSEException {
		Map<String, String> account = newAccount();
		String token = accessToken(PREVIOUS_SIGNING_KEY, account);

		Jwt jwt = resourceServer().decode(token);

		assertThat(jwt.getSubject()).isEqualTo(account.get("id"));
		assertThat(jwt.getHeaders().get("kid")).isEqualTo(PREVIOUS_SIGNING_KEY.getKeyID());
		// auth-service's own API validates with the same keys.
		HttpResponse<String> me = get("/api/accounts/me", token);
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		assertThat(json(me).get("id").asString()).isEqualTo(account.get("id"));
	}

	@Test
	void aTokenSignedByAKeyThatIsNotPublishedIsRefused() throws JOSEException {
		Map<String, String> account = newAccount();
		RSAKey stranger = new RSAKey.Builder(SigningKeys.generate()).keyID(PREVIOUS_SIGNING_KEY.getKeyID()).build();
		String token = accessToken(stranger, account);

		assertThatThrownBy(() -> resourceServer().decode(token)).isInstanceOf(JwtException.class);
		assertThat(get("/api/accounts/me", token).statusCode()).isEqualTo(401);
	}

	/** What every API service does with a bearer token (the starter's validator). */
	private NimbusJwtDecoder resourceServer() {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(base() + "/oauth2/jwks").build();
		decoder.setJwtValidator(BookmarksJwt.validator(ISSUER, "bookmarks-api"));
		return decoder;
	}

	private static String accessToken(RSAKey key, Map<String, String> account) throws JOSEException {
		Instant now = Instant.now();
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
				new JWTClaimsSet.Builder().issuer(ISSUER)
					.subject(account.get("id"))
					.audience(List.of("bookmarks-api"))
					.issueTime(java.util.Date.from(now.minusSeconds(60)))
					.notBeforeTime(java.util.Date.from(now.minusSeconds(60)))
					.expirationTime(java.util.Date.from(now.plusSeconds(600)))
					.claim("username", account.get("username"))
					.claim("roles", List.of("USER"))
					.build());
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static String signingKeyId() {
		return SigningKeys.load(new AuthProperties(PUBLIC_ORIGIN, ISSUER, "bookmarks-api", DATA_DIR, null, null,
				java.time.Duration.ofMinutes(15), java.time.Duration.ofDays(14), null)).getKeyID();
	}

	private Map<String, String> newAccount() {
		String username = unique("keys");
		HttpResponse<String> response = postJson("/api/accounts",
				Map.of("username", username, "email", username + "@example.com", "password", PASSWORD));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return Map.of("id", json(response).get("id").asString(), "username", username);
	}

}
