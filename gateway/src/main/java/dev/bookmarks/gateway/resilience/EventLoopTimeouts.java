package dev.bookmarks.gateway.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.handler.timeout.ReadTimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Sends each request to its service as Spring Cloud Gateway's {@link NettyRoutingFilter} does (it stands in for
 * that one, which {@code spring.cloud.gateway.server.webflux.global-filter.netty-routing.enabled=false} turns
 * off), with one difference: how long a service may keep the gateway waiting is bounded by Reactor Netty's response
 * timeout, a timer on the connection's own event loop. Spring Cloud Gateway's {@code Flux.timeout} scheduled two
 * timers per request on Reactor's parallel threads and woke them each time: about 7 % of the gateway's CPU per
 * proxied request in an async-profiler recording (docs/operations.md, "The gateway's own cost").
 *
 * <p>A route's metadata {@value #METADATA} (milliseconds; negative: none, as for the live feed) bounds the wait for
 * the service's answer and then each wait between two reads of it; routes without it get
 * {@code bookmarks.gateway.service-timeout}. A request that times out fails with 504, which a route's circuit
 * breaker turns into its 503 naming the service. Spring Cloud Gateway's own {@code response-timeout} (metadata and
 * {@code httpclient.response-timeout}) must stay unset, or both timers run; the configured routes are checked when
 * the gateway starts, so a route that sets it, or a {@value #METADATA} that is not a number, stops the start-up.
 */
class EventLoopTimeouts extends NettyRoutingFilter implements ApplicationListener<RefreshRoutesEvent> {

	static final String METADATA = "service-timeout";

	private final Duration fallback;

	/** Each route's client, its timeouts applied once: configuring a client copies its configuration. */
	private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

	EventLoopTimeouts(HttpClient httpClient, ObjectProvider<List<HttpHeadersFilter>> headersFilters,
			HttpClientProperties properties, List<RouteDefinition> routes, Duration fallback) {
		super(httpClient, headersFilters, properties);
		if (properties.getResponseTimeout() != null) {
			throw new IllegalStateException("spring.cloud.gateway.server.webflux.httpclient.response-timeout is set:"
					+ " set bookmarks.gateway.service-timeout instead, or every request runs two timeouts");
		}
		this.fallback = fallback;
		routes.forEach(route -> timeoutOf(route.getId(), route.getMetadata()));
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return super.filter(exchange, chain)
			.onErrorMap(ReadTimeoutException.class, timeout -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT,
					"The service did not answer in time.", timeout));
	}

	@Override
	protected HttpClient getHttpClient(Route route, ServerWebExchange exchange) {
		HttpClient client = clients.get(route.getId());
		if (client == null) {
			client = configured(route, super.getHttpClient(route, exchange));
			clients.put(route.getId(), client);
		}
		return client;
	}

	private HttpClient configured(Route route, HttpClient client) {
		Duration timeout = timeoutOf(route.getId(), route.getMetadata());
		return timeout.isNegative() ? client : client.responseTimeout(timeout);
	}

	private Duration timeoutOf(String route, Map<String, Object> metadata) {
		if (metadata.containsKey("response-timeout")) {
			throw new IllegalStateException("Route " + route + " sets response-timeout: use " + METADATA);
		}
		Object millis = metadata.get(METADATA);
		if (millis == null) {
			return fallback;
		}
		try {
			return Duration.ofMillis(millis instanceof Number number ? number.longValue() : Long.parseLong(millis.toString()));
		}
		catch (NumberFormatException notMillis) {
			throw new IllegalStateException("Route " + route + " sets " + METADATA + " to '" + millis
					+ "': milliseconds expected (negative: none)", notMillis);
		}
	}

	@Override
	public void onApplicationEvent(RefreshRoutesEvent event) {
		clients.clear();
	}

}
