package dev.bookmarks.platform.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a service validates the access tokens of auth-service.
 *
 * @param issuer the {@code iss} every token must carry: the public origin plus {@code /auth}
 * @param jwkSetUri where the signing keys are fetched, straight from auth-service
 * @param audience the {@code aud} every token must contain
 * @param publicPaths requests allowed without a token, as {@code "METHOD /pattern"} or
 * {@code "/pattern"} for any method
 * @param verifiedTokens how many verified access tokens a service remembers, so that a token's signature is checked
 * once rather than on every request ({@link VerifiedTokens}); 4096 by default, a few KiB each
 */
@ConfigurationProperties("bookmarks.security")
public record ResourceServerProperties(String issuer, String jwkSetUri, String audience, List<String> publicPaths,
		Integer verifiedTokens) {

	public ResourceServerProperties {
		issuer = issuer != null ? issuer : "http://localhost:8080/auth";
		jwkSetUri = jwkSetUri != null ? jwkSetUri : "http://127.0.0.1:9000/auth/oauth2/jwks";
		audience = audience != null ? audience : "bookmarks-api";
		publicPaths = publicPaths != null ? publicPaths : List.of();
		verifiedTokens = verifiedTokens != null ? verifiedTokens : 4096;
		if (verifiedTokens < 1) {
			throw new IllegalArgumentException("bookmarks.security.verified-tokens must be at least 1");
		}
	}

}
