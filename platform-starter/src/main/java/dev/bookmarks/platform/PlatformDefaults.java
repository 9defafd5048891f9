package dev.bookmarks.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Settings every service shares, added with the lowest precedence so that a service's
 * application.yml or the environment can still override each of them.
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

	static final String NAME = "bookmarksPlatformDefaults";

	/** Where spans go (OTLP over HTTP, e.g. {@code http://collector:4318/v1/traces}); unset: nowhere. */
	static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	/** {@code text} (the default) or {@code json}. */
	static final String LOG_FORMAT = "BOOKMARKS_LOG_FORMAT";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		// Observability: liveness/readiness groups for Kubernetes probes, Prometheus scraping.
		defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
		defaults.put("management.endpoint.health.probes.enabled", "true");
		defaults.put("management.endpoint.health.probes.add-additional-paths", "true");
		defaults.put("management.endpoint.health.show-details", "never");
		defaults.put("management.observations.key-values.application", "${spring.application.name}");
		defaults.put("management.metrics.tags.application", "${spring.application.name}");
		// Buckets for the request timer, so that p99 latency can be aggregated across instances
		// (histogram_quantile); client-side percentiles cannot be.
		defaults.put("management.metrics.distribution.percentiles-histogram.http.server.requests", "true");
		// Spring Security observes each of its filters and each authorization: a dozen observations per
		// request, with a scope opened on every one, for spans and timers nobody reads (the request's own
		// observation says how long it took and how it ended). 6 to 7 % of activity-service's CPU per feed
		// read (async-profiler); the gateway turned them off first. SecurityObservationsAutoConfiguration also
		// keeps Spring Security from wrapping its filters in the (then no-op) observations.
		defaults.put("management.observations.enable.spring.security", "false");
		tracing(environment, defaults);
		logging(environment, defaults);
		// Let in-flight requests finish on SIGTERM.
		defaults.put("server.shutdown", "graceful");
		defaults.put("spring.lifecycle.timeout-per-shutdown-phase", "20s");
		// Producer: idempotent, every in-sync replica acknowledges, fail fast when the broker is away
		// (the outbox keeps the event and the relay retries).
		defaults.put("spring.kafka.producer.acks", "all");
		defaults.put("spring.kafka.producer.properties.enable.idempotence", "true");
		defaults.put("spring.kafka.producer.properties.max.block.ms", "5000");
		defaults.put("spring.kafka.producer.properties.request.timeout.ms", "5000");
		defaults.put("spring.kafka.producer.properties.delivery.timeout.ms", "10000");
		defaults.put("spring.kafka.producer.properties.linger.ms", "5");
		// Consumer: start from the beginning for a new group; offsets committed by the container.
		defaults.put("spring.kafka.consumer.auto-offset-reset", "earliest");
		defaults.put("spring.kafka.consumer.enable-auto-commit", "false");
		defaults.put("spring.kafka.consumer.properties.isolation.level", "read_committed");
		defaults.put("spring.kafka.admin.fail-fast", "false");
		// Topic creation must not hold up start-up for long when the broker is away.
		defaults.put("spring.kafka.admin.operation-timeout", "10s");
		defaults.put("spring.kafka.admin.close-timeout", "5s");
		defaults.put("spring.kafka.admin.properties.request.timeout.ms", "5000");
		// Errors: never a stack trace to a client.
		defaults.put("server.error.include-stacktrace", "never");
		defaults.put("server.error.include-message", "never");
		// OpenAPI documents (services with springdoc): 3.1, keys sorted so that the document reads the
		// same each time, errors described by ApiConventions rather than guessed from exception handlers.
		defaults.put("springdoc.api-docs.enabled", "true");
		defaults.put("springdoc.api-docs.version", "openapi_3_1");
		defaults.put("springdoc.writer-with-order-by-keys", "true");
		defaults.put("springdoc.override-with-generic-response", "false");
		defaults.put("springdoc.default-produces-media-type", "application/json");
		environment.getPropertySources().addLast(new MapPropertySource(NAME, defaults));
	}

	/**
	 * Tracing: the W3C trace context always travels (HTTP headers, Kafka record headers, the outbox),
	 * so log lines of one request share a trace id. Spans are recorded only when they are exported
	 * somewhere ({@link #OTLP_ENDPOINT} set): then every trace by default, else none, which keeps
	 * the per-request cost to creating and propagating ids.
	 */
	private static void tracing(ConfigurableEnvironment environment, Map<String, Object> defaults) {
		boolean exporting = StringUtils.hasText(environment.getProperty(OTLP_ENDPOINT));
		defaults.put("management.tracing.sampling.probability", exporting ? "1.0" : "0.0");
		// Kafka sends and listeners are observed: the producer writes the trace into the record's
		// headers, the listener continues it.
		defaults.put("spring.kafka.template.observation-enabled", "true");
		defaults.put("spring.kafka.listener.observation-enabled", "true");
	}

	/**
	 * {@code BOOKMARKS_LOG_FORMAT=json}: one JSON object per line (Elastic Common Schema) with the
	 * trace and span id. Reactive code runs a request on several threads, so the ids reach the
	 * logging context only with Reactor's automatic context propagation, which costs a little on
	 * every request: it is switched on with JSON logs only. Text logs show the ids where the thread
	 * has them (servlet requests, Kafka listeners).
	 */
	private static void logging(ConfigurableEnvironment environment, Map<String, Object> defaults) {
		String format = environment.getProperty(LOG_FORMAT, "text").trim();
		if (format.equalsIgnoreCase("json")) {
			defaults.put("logging.structured.format.console", "ecs");
			defaults.put("spring.reactor.context-propagation", "auto");
		}
		else if (!format.equalsIgnoreCase("text")) {
			throw new IllegalStateException(LOG_FORMAT + " must be text or json, not '" + format + "'");
		}
	}

}
