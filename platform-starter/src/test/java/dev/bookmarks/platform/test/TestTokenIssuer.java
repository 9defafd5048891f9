package dev.bookmarks.platform.test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A stand-in for auth-service in a service's tests: it serves a real JWKS over HTTP and signs
 * access tokens shaped like auth-service's, so the service's real JWT validation runs.
 */
public final class TestTokenIssuer {

	public static final String ISSUER = "http://localhost:8080/auth";

	public static final String AUDIENCE = "bookmarks-api";

	private static TestTokenIssuer shared;

	private final RSAKey key;

	private final HttpServer server;

	private TestTokenIssuer() throws IOException, JOSEException {
		this.key = new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).generate();
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(UTF_8);
		server.createContext("/jwks", exchange -> {
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, jwks.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(jwks);
			}
		});
		server.start();
	}

	/** One issuer per test JVM, started on first use. */
	public static synchronized TestTokenIssuer shared() {
		if (shared == null) {
			try {
				shared = new TestTokenIssuer();
			}
			catch (IOException | JOSEException ex) {
				throw new IllegalStateException("Cannot start the test token issuer", ex);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.server.stop(0)));
		}
		return shared;
	}

	public String jwkSetUri() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
	}

	/** Claims of a valid 15-minute access token for this person. */
	public JWTClaimsSet.Builder claims(UUID userId, String username, String... roles) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject(userId.toString())
			.audience(List.of(AUDIENCE))
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(15))))
			.claim("username", username)
			.claim("roles", roles.length == 0 ? List.of("USER") : List.of(roles));
	}

	public String token(UUID userId, String username, String... roles) {
		return sign(claims(userId, username, roles).build());
	}

	public String sign(JWTClaimsSet claims) {
		return sign(claims, key);
	}

	/** Signs with a key nobody published: a forged token. */
	public String forge(JWTClaimsSet claims) {
		try {
			return sign(claims, new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String sign(JWTClaimsSet claims, RSAKey signingKey) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(signingKey));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
