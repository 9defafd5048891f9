package dev.bookmarks.platform.tracing;

import java.util.List;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code BOOKMARKS_LOG_FORMAT=json}: every line one JSON object, with the trace and span id. */
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsTest {

	@Test
	void jsonLogLinesCarryTheTraceAndSpanIdOfTheCurrentSpan(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Tracing.class)
			.web(WebApplicationType.NONE)
			.run("--BOOKMARKS_LOG_FORMAT=json", "--spring.application.name=json-logs-test")) {
			Tracer tracer = context.getBean(Tracer.class);
			Span span = tracer.nextSpan().name("work").start();
			try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
				LogFactory.getLog(JsonLogsTest.class).info("inside a span");
			}
			finally {
				span.end();
			}

			JsonMapper json = JsonMapper.builder().build();
			List<String> lines = output.getOut().lines().filter(line -> line.startsWith("{")).toList();
			assertThat(lines).isNotEmpty();
			List<JsonNode> logged = lines.stream().map(json::readTree).toList();
			JsonNode inside = logged.stream()
				.filter(line -> "inside a span".equals(line.path("message").asString()))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no JSON line for the message in:\n" + output.getOut()));
			assertThat(inside.path("traceId").asString()).isEqualTo(span.context().traceId());
			assertThat(inside.path("spanId").asString()).isEqualTo(span.context().spanId());
			assertThat(inside.path("service").path("name").asString()).isEqualTo("json-logs-test");
		}
	}

	@Test
	void anUnknownLogFormatStopsTheStart() {
		SpringApplicationBuilder application = new SpringApplicationBuilder(Tracing.class).web(WebApplicationType.NONE);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> application.run("--BOOKMARKS_LOG_FORMAT=xml").close())
			.hasMessageContaining("BOOKMARKS_LOG_FORMAT must be text or json");
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ ObservationAutoConfiguration.class, OpenTelemetrySdkAutoConfiguration.class,
			MicrometerTracingAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class })
	static class Tracing {

	}

}
