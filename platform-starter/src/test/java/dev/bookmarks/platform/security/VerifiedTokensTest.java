package dev.bookmarks.platform.security;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokensTest {

	private static final String ISSUER = "http://localhost:8080/auth";

	private static final String AUDIENCE = "bookmarks-api";

	/** Stands in for the signature check: counts its calls and answers the token prepared for each string. */
	private final Map<String, Jwt> signed = new HashMap<>();

	private final AtomicInteger signatureChecks = new AtomicInteger();

	private final ReactiveJwtDecoder checkingSignatures = token -> {
		signatureChecks.incrementAndGet();
		Jwt jwt = signed.get(token);
		return jwt != null ? Mono.just(jwt) : Mono.error(new BadJwtException("bad signature"));
	};

	private final VerifiedTokens tokens = new VerifiedTokens(checkingSignatures, BookmarksJwt.validator(ISSUER, AUDIENCE),
			2);

	@Test
	void aTokenSeenBeforeIsNotCheckedAgain() {
		signed.put("a", jwt("a", Instant.now().plusSeconds(600), ISSUER));

		StepVerifier.create(tokens.decode("a")).assertNext(jwt -> assertThat(jwt.getSubject()).isEqualTo("sub-a")).verifyComplete();
		StepVerifier.create(tokens.decode("a")).assertNext(jwt -> assertThat(jwt.getSubject()).isEqualTo("sub-a")).verifyComplete();

		assertThat(signatureChecks).hasValue(1);
	}

	@Test
	void aRememberedTokenIsValidatedAgainOnEveryUse() {
		// The stand-in hands out a token that has expired (beyond the 60 s clock skew) without validating it, as if
		// it had expired since its check: a remembered token that no longer validates is checked again.
		signed.put("a", jwt("a", Instant.now().minusSeconds(120), ISSUER));
		StepVerifier.create(tokens.decode("a")).expectNextCount(1).verifyComplete();
		StepVerifier.create(tokens.decode("a")).expectNextCount(1).verifyComplete();
		assertThat(signatureChecks).hasValue(2);

		signed.put("b", jwt("b", Instant.now().plusSeconds(600), "http://elsewhere/auth"));
		StepVerifier.create(tokens.decode("b")).expectNextCount(1).verifyComplete();
		StepVerifier.create(tokens.decode("b")).expectNextCount(1).verifyComplete();
		assertThat(signatureChecks).hasValue(4);
	}

	@Test
	void aTokenThatFailsTheCheckIsNotRemembered() {
		StepVerifier.create(tokens.decode("forged")).expectError(BadJwtException.class).verify();
		StepVerifier.create(tokens.decode("forged")).expectError(BadJwtException.class).verify();

		assertThat(signatureChecks).hasValue(2);
		assertThat(tokens.size()).isZero();
	}

	@Test
	void atMostCapacityTokensAreRemembered() {
		for (String token : List.of("a", "b", "c", "d", "e")) {
			signed.put(token, jwt(token, Instant.now().plusSeconds(600), ISSUER));
			StepVerifier.create(tokens.decode(token)).expectNextCount(1).verifyComplete();
			assertThat(tokens.size()).isBetween(1, 2);
		}
		StepVerifier.create(tokens.decode("e")).expectNextCount(1).verifyComplete();
		assertThat(signatureChecks).hasValue(5);
	}

	private static Jwt jwt(String token, Instant expiresAt, String issuer) {
		return Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.subject("sub-" + token)
			.issuer(issuer)
			.audience(List.of(AUDIENCE))
			.issuedAt(expiresAt.minusSeconds(900))
			.expiresAt(expiresAt)
			.build();
	}

}
