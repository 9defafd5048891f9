package dev.bookmarks.gateway.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;

/**
 * One refresh per refresh token. auth-service rotates refresh tokens and treats a used one coming
 * back as theft: it revokes the whole sign-in. A page fires several API calls at once, and each
 * would refresh the same expiring token; here the first call refreshes, the others wait for its
 * result, and calls that read the session before the new tokens were saved get them too (they are
 * kept for {@link #REMEMBERED}).
 *
 * <p>Per gateway instance: two instances refreshing the same session in the same second can still
 * collide, which costs that person a new login. Refreshing {@code refreshBefore} ahead of expiry
 * makes that rare; a shared lock in Redis would close it.
 */
final class SingleFlightRefresh implements ReactiveOAuth2AuthorizedClientProvider {

	static final Duration REMEMBERED = Duration.ofSeconds(60);

	private record Flight(Mono<OAuth2AuthorizedClient> result, Instant started) {
	}

	private static final Logger log = LoggerFactory.getLogger(SingleFlightRefresh.class);

	private final ReactiveOAuth2AuthorizedClientProvider delegate;

	private final Clock clock;

	private final Duration refreshBefore;

	private final Map<String, Flight> flights = new ConcurrentHashMap<>();

	SingleFlightRefresh(ReactiveOAuth2AuthorizedClientProvider delegate, Clock clock, Duration refreshBefore) {
		this.delegate = delegate;
		this.clock = clock;
		this.refreshBefore = refreshBefore;
	}

	@Override
	public Mono<OAuth2AuthorizedClient> authorize(OAuth2AuthorizationContext context) {
		OAuth2AuthorizedClient client = context.getAuthorizedClient();
		OAuth2RefreshToken refreshToken = client == null ? null : client.getRefreshToken();
		Instant now = clock.instant();
		Instant expiresAt = client == null ? null : client.getAccessToken().getExpiresAt();
		if (refreshToken == null || expiresAt == null || expiresAt.minus(refreshBefore).isAfter(now)) {
			return delegate.authorize(context);
		}
		flights.values().removeIf(flight -> flight.started().plus(REMEMBERED).isBefore(now));
		Flight flight = flights.computeIfAbsent(refreshToken.getTokenValue(),
				token -> new Flight(delegate.authorize(context)
					.doOnNext(refreshed -> log.info("Access token of {} refreshed", refreshed.getPrincipalName()))
					.cache(), now));
		return flight.result();
	}

}
