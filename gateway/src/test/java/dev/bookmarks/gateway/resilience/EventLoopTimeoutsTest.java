package dev.bookmarks.gateway.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.core.ResolvableType;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** A misconfigured route timeout stops the gateway's start-up instead of failing its first request. */
class EventLoopTimeoutsTest {

	@Test
	void aRouteThatSetsSpringCloudGatewaysOwnResponseTimeoutStopsTheStartUp() {
		assertThatIllegalStateException().isThrownBy(() -> timeouts(route("images", Map.of("response-timeout", 5000))))
			.withMessageContaining("images")
			.withMessageContaining(EventLoopTimeouts.METADATA);
	}

	@Test
	void aServiceTimeoutThatIsNotMillisecondsStopsTheStartUp() {
		assertThatIllegalStateException()
			.isThrownBy(() -> timeouts(route("users", Map.of(EventLoopTimeouts.METADATA, "10s"))))
			.withMessageContaining("users")
			.withMessageContaining("'10s'");
	}

	@Test
	void routesWithMillisecondsNoneOrNoTimeoutStart() {
		assertThatCode(() -> timeouts(route("images", Map.of(EventLoopTimeouts.METADATA, 30000)),
				route("feed", Map.of(EventLoopTimeouts.METADATA, "-1")), route("users", Map.of())))
			.doesNotThrowAnyException();
	}

	private static RouteDefinition route(String id, Map<String, Object> metadata) {
		RouteDefinition route = new RouteDefinition();
		route.setId(id);
		route.setUri(URI.create("http://127.0.0.1:9001"));
		route.setMetadata(metadata);
		return route;
	}

	@SuppressWarnings("unchecked")
	private static EventLoopTimeouts timeouts(RouteDefinition... routes) {
		ObjectProvider<List<HttpHeadersFilter>> noFilters = (ObjectProvider<List<HttpHeadersFilter>>) (ObjectProvider<?>)
			new DefaultListableBeanFactory().getBeanProvider(ResolvableType.forClassWithGenerics(List.class,
					HttpHeadersFilter.class));
		return new EventLoopTimeouts(HttpClient.create(), noFilters, new HttpClientProperties(), List.of(routes),
				Duration.ofSeconds(30));
	}

}
