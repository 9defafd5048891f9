package dev.bookmarks.platform.backbone;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.bookmarks.devinfra.TestInfrastructure;
import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.platform.backbone.BackboneApplication.Greetings;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request's trace survives the outbox: the row keeps the request's W3C context, the relay's
 * publish continues it, and the listener on the other side joins it, on real PostgreSQL and Kafka.
 */
@SpringBootTest(classes = BackboneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=100ms" })
@Import(TraceThroughOutboxTest.Spans.class)
class TraceThroughOutboxTest {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		BackboneTestSupport.database(registry);
		registry.add("spring.kafka.bootstrap-servers", () -> TestInfrastructure.kafka().bootstrapServers());
	}

	@Autowired
	Greetings greetings;

	@Autowired
	ObservationRegistry observations;

	@Autowired
	Tracer tracer;

	@Autowired
	DatabaseClient db;

	@Autowired
	Spans spans;

	@Test
	void theRelaysSendAndTheListenerContinueTheTraceOfTheRequestThatWroteTheEvent() {
		Observation request = Observation.start("test.request", observations);
		String traceId;
		String requestSpanId;
		try (Observation.Scope scope = request.openScope()) {
			traceId = tracer.currentSpan().context().traceId();
			requestSpanId = tracer.currentSpan().context().spanId();
		}
		// Reactive code finds the request's observation in the Reactor context, not on the thread.
		EventEnvelope event = greetings.greet("traced")
			.contextWrite(context -> context.put(ObservationThreadLocalAccessor.KEY, request))
			.block();
		request.stop();

		assertThat(storedTraceparent(event)).isEqualTo("00-" + traceId + "-" + requestSpanId + "-01");

		List<ConsumerRecord<String, String>> records = BackboneTestSupport.readUntil(
				TestInfrastructure.kafka().bootstrapServers(), Topics.USER_EVENTS,
				seen -> seen.stream().anyMatch(r -> r.value().contains(event.eventId().toString())), WAIT);
		ConsumerRecord<String, String> record = records.stream()
			.filter(r -> r.value().contains(event.eventId().toString()))
			.findFirst()
			.orElseThrow();
		Header traceparent = record.headers().lastHeader("traceparent");
		assertThat(traceparent).as("the record's traceparent header").isNotNull();
		assertThat(new String(traceparent.value(), UTF_8)).startsWith("00-" + traceId + "-");

		await().atMost(WAIT).untilAsserted(() -> {
			SpanData publish = spans.find(traceId, span -> span.getName().equals("outbox publish")).orElseThrow();
			assertThat(publish.getParentSpanId()).isEqualTo(requestSpanId);
			SpanData send = spans.find(traceId, span -> span.getKind() == SpanKind.PRODUCER).orElseThrow();
			assertThat(send.getParentSpanId()).isEqualTo(publish.getSpanId());
			assertThat(new String(traceparent.value(), UTF_8)).contains(send.getSpanId());
			SpanData receive = spans.find(traceId, span -> span.getKind() == SpanKind.CONSUMER).orElseThrow();
			assertThat(receive.getParentSpanId()).isEqualTo(send.getSpanId());
		});
	}

	@Test
	void anEventWrittenOutsideAnyTraceStoresNoContext() {
		EventEnvelope event = greetings.greet("untraced").block();

		assertThat(storedTraceparent(event)).isNull();
	}

	private String storedTraceparent(EventEnvelope event) {
		return db.sql("SELECT traceparent FROM outbox WHERE id = $1")
			.bind(0, event.eventId())
			.map(row -> Optional.ofNullable(row.get(0, String.class)))
			.one()
			.block()
			.orElse(null);
	}

	/** An exporter that keeps every span the application finishes. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Spans implements SpanExporter {

		private final List<SpanData> finished = new CopyOnWriteArrayList<>();

		Optional<SpanData> find(String traceId, java.util.function.Predicate<SpanData> wanted) {
			return finished.stream().filter(span -> span.getTraceId().equals(traceId)).filter(wanted).findFirst();
		}

		@Override
		public CompletableResultCode export(java.util.Collection<SpanData> spans) {
			finished.addAll(spans);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

}
