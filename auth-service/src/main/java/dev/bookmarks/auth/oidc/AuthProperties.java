package dev.bookmarks.auth.oidc;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the identity provider ({@code bookmarks.auth.*}).
 *
 * @param publicOrigin the origin clients see, the gateway's, without a trailing slash
 * @param issuer the OIDC issuer, {@code publicOrigin + "/auth"}
 * @param audience the {@code aud} of access tokens, the same for every API service
 * @param dataDir where generated local key material is kept
 * @param signingKeyLocation a PEM (PKCS#8) or JWK JSON file with the RSA signing key; empty to
 * generate one once into {@code dataDir}
 * @param gatewayClientSecret the gateway's client secret; empty to generate a local-development
 * one once into {@code dataDir}
 * @param accessTokenTimeToLive lifetime of access tokens
 * @param refreshTokenTimeToLive lifetime of refresh tokens; each use replaces the token
 * @param previousKeysLocation a directory or comma-separated files with keys that signed tokens before
 * the signing key; published for verification only (see {@link PreviousSigningKeys})
 */
@Validated
@ConfigurationProperties("bookmarks.auth")
public record AuthProperties(@NotBlank String publicOrigin, @NotBlank String issuer, @NotBlank String audience,
		@NotNull Path dataDir, String signingKeyLocation, String gatewayClientSecret,
		@NotNull Duration accessTokenTimeToLive, @NotNull Duration refreshTokenTimeToLive,
		String previousKeysLocation) {

	public AuthProperties {
		publicOrigin = stripTrailingSlash(publicOrigin);
		issuer = stripTrailingSlash(issuer);
	}

	private static String stripTrailingSlash(String value) {
		return value != null && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
	}

}
