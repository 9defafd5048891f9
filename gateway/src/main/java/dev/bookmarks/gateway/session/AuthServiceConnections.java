package dev.bookmarks.gateway.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.authentication.ReactiveOidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.converter.ClaimTypeConverter;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoderFactory;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The gateway's own calls to auth-service (token endpoint for the login and the refreshes, signing
 * keys for the ID token) on a pool of their own whose connections are dropped after
 * {@link #MAX_IDLE} unused. The default pool kept them forever, while auth-service's Tomcat closes a
 * keep-alive connection after 60 s idle: a login right after a quiet spell (a restart) could send
 * its token request on a connection Tomcat was closing, and got "Connection prematurely closed
 * BEFORE response" (500 at /login/oauth2/code/bookmarks) or "Could not obtain the keys".
 *
 * <p>Reactor Netty already sends a request again, once, when a pooled connection closed before the
 * request went out. A request that went out is not sent again when it is a POST (a code is good for
 * one exchange, a refresh token may be rotated); a GET (the keys) is tried once more.
 */
final class AuthServiceConnections implements DisposableBean {

	/** Well under Tomcat's keep-alive timeout (60 s), so the gateway gives up a connection first. */
	static final Duration MAX_IDLE = Duration.ofSeconds(20);

	private final ConnectionProvider connections;

	private final WebClient webClient;

	private final Map<String, ReactiveJwtDecoder> idTokenDecoders = new ConcurrentHashMap<>();

	AuthServiceConnections() {
		this(MAX_IDLE);
	}

	AuthServiceConnections(Duration maxIdle) {
		this.connections = ConnectionProvider.builder("auth-service")
			.maxConnections(50)
			.pendingAcquireMaxCount(500)
			.maxIdleTime(maxIdle)
			.evictInBackground(maxIdle.dividedBy(2))
			.build();
		HttpClient http = HttpClient.create(connections)
			.responseTimeout(Duration.ofSeconds(10))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000);
		this.webClient = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(http))
			.filter(retryGetOnPrematureClose())
			.build();
	}

	WebClient webClient() {
		return webClient;
	}

	/**
	 * As {@link ReactiveOidcIdTokenDecoderFactory} builds them (RS256, timestamps and the OIDC
	 * claims checked, claim types converted), with the keys fetched over this pool.
	 */
	ReactiveJwtDecoderFactory<ClientRegistration> idTokenDecoders() {
		return registration -> idTokenDecoders.computeIfAbsent(registration.getRegistrationId(), id -> {
			NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
				.withJwkSetUri(registration.getProviderDetails().getJwkSetUri())
				.webClient(webClient)
				.build();
			decoder.setJwtValidator(
					new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(), new OidcIdTokenValidator(registration)));
			decoder.setClaimSetConverter(
					new ClaimTypeConverter(ReactiveOidcIdTokenDecoderFactory.createDefaultClaimTypeConverters()));
			return decoder;
		});
	}

	private static ExchangeFilterFunction retryGetOnPrematureClose() {
		return (request, next) -> {
			Mono<ClientResponse> exchange = next.exchange(request);
			return HttpMethod.GET.equals(request.method())
					? exchange.retryWhen(Retry.max(1).filter(PrematureCloseException.class::isInstance)) : exchange;
		};
	}

	@Override
	public void destroy() {
		connections.dispose();
	}

}
