package dev.bookmarks.gateway.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.util.StringUtils;

/**
 * The one client registration, {@code bookmarks}: the browser is sent to auth-service on the public
 * origin (through this gateway), while the gateway reaches the token endpoint and the keys
 * directly. Built without discovery, so the gateway starts before auth-service does (the local stack
 * starts every service at once).
 *
 * <p>Without a configured secret the registration is built on first use, from the file auth-service
 * generates on its first start: until that file exists a login fails (and is retried by the next
 * one) instead of the gateway failing to start.
 */
final class BookmarksClientRegistrations implements ReactiveClientRegistrationRepository {

	static final String REGISTRATION_ID = "bookmarks";

	static final String CLIENT_ID = "bookmarks-gateway";

	/** Where auth-service writes its generated secret (RegisteredClients.GENERATED_GATEWAY_SECRET_PATH). */
	static final String GENERATED_SECRET_PATH = "secrets/gateway-client-secret";

	private final GatewayClientProperties properties;

	private volatile ClientRegistration registration;

	BookmarksClientRegistrations(GatewayClientProperties properties) {
		this.properties = properties;
		if (StringUtils.hasText(properties.clientSecret())) {
			this.registration = build(properties.clientSecret());
		}
	}

	@Override
	public Mono<ClientRegistration> findByRegistrationId(String registrationId) {
		if (!REGISTRATION_ID.equals(registrationId)) {
			return Mono.empty();
		}
		ClientRegistration known = registration;
		if (known != null) {
			return Mono.just(known);
		}
		Path file = properties.dataDir().resolve(GENERATED_SECRET_PATH).toAbsolutePath().normalize();
		return Mono.fromCallable(() -> readSecret(file)).subscribeOn(Schedulers.boundedElastic()).map(secret -> {
			ClientRegistration built = build(secret);
			registration = built;
			return built;
		});
	}

	private static String readSecret(Path file) throws IOException {
		try {
			String secret = Files.readString(file).strip();
			if (secret.isEmpty()) {
				throw new IllegalStateException("The gateway client secret file " + file + " is empty");
			}
			return secret;
		}
		catch (NoSuchFileException ex) {
			throw new IllegalStateException("No gateway client secret: set BOOKMARKS_GATEWAY_CLIENT_SECRET, or start "
					+ "auth-service with the same BOOKMARKS_DATA_DIR so that it generates " + file, ex);
		}
	}

	private ClientRegistration build(String secret) {
		String origin = properties.publicOrigin();
		String direct = properties.authUri() + "/auth";
		return ClientRegistration.withRegistrationId(REGISTRATION_ID)
			.clientId(CLIENT_ID)
			.clientSecret(secret)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(origin + "/login/oauth2/code/{registrationId}")
			.scope("openid", "profile", "email")
			.authorizationUri(properties.issuer() + "/oauth2/authorize")
			.tokenUri(direct + "/oauth2/token")
			.jwkSetUri(direct + "/oauth2/jwks")
			.issuerUri(properties.issuer())
			.userNameAttributeName(IdTokenClaimNames.SUB)
			// The browser ends its auth-service session there (RP-initiated logout).
			.providerConfigurationMetadata(Map.<String, Object>of("end_session_endpoint", properties.issuer() + "/connect/logout"))
			.clientName("Bookmarks")
			.build();
	}

}
