package dev.bookmarks.gateway.session;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway as the web app's confidential OAuth2 client of auth-service
 * ({@code bookmarks.gateway.*}).
 *
 * @param publicOrigin the origin browsers use, the issuer's origin; auth-service registered
 * {@code publicOrigin + "/login/oauth2/code/bookmarks"} and {@code publicOrigin + "/"} for us
 * @param authUri where the gateway reaches auth-service itself (token endpoint, keys)
 * @param clientSecret the client secret; empty: read the local-development one auth-service
 * generates into {@code dataDir}
 * @param dataDir the local stack's data directory
 * @param refreshBefore how long before the access token expires it is refreshed
 */
@ConfigurationProperties("bookmarks.gateway")
public record GatewayClientProperties(String publicOrigin, String authUri, String clientSecret, Path dataDir,
		Duration refreshBefore) {

	public GatewayClientProperties {
		publicOrigin = stripSlash(publicOrigin != null ? publicOrigin : "http://localhost:8080");
		authUri = stripSlash(authUri != null ? authUri : "http://127.0.0.1:9000");
		dataDir = dataDir != null ? dataDir : Path.of(".local/data");
		refreshBefore = refreshBefore != null ? refreshBefore : Duration.ofMinutes(2);
	}

	public String issuer() {
		return publicOrigin + "/auth";
	}

	private static String stripSlash(String value) {
		return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
	}

}
