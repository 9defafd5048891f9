package dev.bookmarks.gateway.resilience;

import java.time.Duration;
import java.util.Set;

import dev.bookmarks.gateway.problem.ProblemResponses;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * What a caller gets when a service is down, too slow, or its circuit is open: 503 problem+json
 * naming the service, with {@code Retry-After}. One breaker per service (the routes name it): after
 * half of at least 10 recent calls failed, calls fail fast for {@link #OPEN_FOR} instead of each
 * waiting for a connect timeout, then a few are let through to probe.
 */
@Configuration(proxyBeanMethods = false)
class ServiceFallbacks {

	private static final Logger log = LoggerFactory.getLogger(ServiceFallbacks.class);

	static final Duration OPEN_FOR = Duration.ofSeconds(10);

	static final Set<String> SERVICES = Set.of("auth-service", "bookmark-service", "social-graph-service",
			"activity-service", "ranking-service");

	@Bean
	Customizer<ReactiveResilience4JCircuitBreakerFactory> circuitBreakerDefaults() {
		return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
			.circuitBreakerConfig(CircuitBreakerConfig.custom()
				.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
				.slidingWindowSize(20)
				.minimumNumberOfCalls(10)
				.failureRateThreshold(50)
				.waitDurationInOpenState(OPEN_FOR)
				.permittedNumberOfCallsInHalfOpenState(3)
				.build())
			.build());
	}

	@Bean
	RouterFunction<ServerResponse> serviceFallbackRoutes(ProblemResponses problems) {
		return RouterFunctions.route(RequestPredicates.path("/gateway/fallback/{service}"), request -> {
			String service = request.pathVariable("service");
			if (!SERVICES.contains(service)) {
				return ServerResponse.notFound().build();
			}
			Throwable cause = request.exchange().getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
			boolean open = cause instanceof CallNotPermittedException;
			log.warn("{} unavailable for {} {}: {}", service, request.method(), request.path(),
					cause == null ? "no cause" : cause.toString());
			Duration retryAfter = open ? OPEN_FOR : Duration.ofSeconds(2);
			return problems
				.write(request.exchange(), HttpStatus.SERVICE_UNAVAILABLE,
						"The " + service + " is unavailable, try again shortly.", retryAfter)
				.then(Mono.empty());
		});
	}

}
