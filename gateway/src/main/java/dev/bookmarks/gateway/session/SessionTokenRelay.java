package dev.bookmarks.gateway.session;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.bookmarks.gateway.problem.ProblemResponses;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Session callers' API calls reach the services with the session's access token as
 * {@code Authorization: Bearer}, refreshed first when it is about to expire. Bearer callers never
 * have a session principal here (their chain keeps no security context), so their header passes
 * untouched.
 *
 * <p>When the tokens cannot be had any more (refresh token revoked by a password change or a
 * logout elsewhere, or expired), the session is over: it is invalidated and the call answers 401,
 * like any call without credentials, so the page sends the person to log in.
 */
@Component
class SessionTokenRelay implements GlobalFilter, Ordered {

	private static final Logger log = LoggerFactory.getLogger(SessionTokenRelay.class);

	private final ReactiveOAuth2AuthorizedClientManager clients;

	private final ProblemResponses problems;

	SessionTokenRelay(ReactiveOAuth2AuthorizedClientManager clients, ProblemResponses problems) {
		this.clients = clients;
		this.problems = problems;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (!exchange.getRequest().getPath().value().startsWith("/api/") || !SessionCookie.present(exchange)) {
			return chain.filter(exchange);
		}
		return exchange.getPrincipal()
			.filter(OAuth2AuthenticationToken.class::isInstance)
			.map(principal -> Optional.of((OAuth2AuthenticationToken) principal))
			.defaultIfEmpty(Optional.empty())
			.flatMap(principal -> principal.isPresent() ? relay(exchange, chain, principal.get())
					: chain.filter(exchange));
	}

	private Mono<Void> relay(ServerWebExchange exchange, GatewayFilterChain chain, OAuth2AuthenticationToken principal) {
		OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest
			.withClientRegistrationId(principal.getAuthorizedClientRegistrationId())
			.principal(principal)
			.attribute(ServerWebExchange.class.getName(), exchange)
			.build();
		return clients.authorize(request)
			.map(client -> Optional.of(client.getAccessToken().getTokenValue()))
			.defaultIfEmpty(Optional.empty())
			.onErrorResume(ClientAuthorizationException.class, ex -> {
				log.info("Session of {} ended: its tokens could not be renewed ({})", principal.getName(),
						ex.getError().getErrorCode());
				return Mono.just(Optional.empty());
			})
			.flatMap(token -> token.isPresent() ? chain.filter(exchange.mutate()
				.request(r -> r.headers(headers -> headers.setBearerAuth(token.get())))
				.build()) : sessionOver(exchange));
	}

	private Mono<Void> sessionOver(ServerWebExchange exchange) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.empty();
		}
		return exchange.getSession()
			.flatMap(session -> session.invalidate())
			.then(problems.write(exchange, HttpStatus.UNAUTHORIZED, "Your session has ended. Please log in again."));
	}

	/** After the rate limits, before the routes' own filters (a retry reuses the token). */
	@Override
	public int getOrder() {
		return -10;
	}

}
