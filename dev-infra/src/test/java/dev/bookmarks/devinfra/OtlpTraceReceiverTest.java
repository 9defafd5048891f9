package dev.bookmarks.devinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpTraceReceiverTest {

    @TempDir
    Path dir;

    @Test
    void spansFromTheOpenTelemetryExporterLandInTheFileAndPrintAsATree() throws Exception {
        TraceFile file = new TraceFile(dir.resolve("traces/spans.jsonl"));
        try (OtlpTraceReceiver receiver = OtlpTraceReceiver.start(0, file::append)) {
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "bookmark-service")))
                    .addSpanProcessor(SimpleSpanProcessor.create(
                            OtlpHttpSpanExporter.builder().setEndpoint(receiver.endpoint()).build()))
                    .build();
            Tracer tracer = provider.get("test");
            Span request = tracer.spanBuilder("http put /api/images/{id}/like").setSpanKind(SpanKind.SERVER).startSpan();
            Span send = tracer.spanBuilder("bookmarks.image-events send")
                    .setParent(Context.current().with(request))
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute("messaging.destination.name", "bookmarks.image-events")
                    .setAttribute("retries", 2L)
                    .startSpan();
            send.setStatus(StatusCode.ERROR);
            send.end();
            request.end();
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            provider.close();

            List<ReceivedSpan> spans = file.read();
            assertThat(spans).hasSize(2);
            ReceivedSpan server = spans.stream().filter(s -> s.kind().equals("SERVER")).findFirst().orElseThrow();
            ReceivedSpan producer = spans.stream().filter(s -> s.kind().equals("PRODUCER")).findFirst().orElseThrow();
            assertThat(server.service()).isEqualTo("bookmark-service");
            assertThat(server.traceId()).isEqualTo(request.getSpanContext().getTraceId());
            assertThat(server.spanId()).isEqualTo(request.getSpanContext().getSpanId());
            assertThat(server.isRoot()).isTrue();
            assertThat(producer.parentSpanId()).isEqualTo(server.spanId());
            assertThat(producer.traceId()).isEqualTo(server.traceId());
            assertThat(producer.error()).isTrue();
            assertThat(producer.attributes()).containsEntry("messaging.destination.name", "bookmarks.image-events")
                    .containsEntry("retries", "2");
            assertThat(producer.endNanos()).isGreaterThanOrEqualTo(producer.startNanos());

            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            assertThat(TraceFile.summarise(spans, server.traceId().substring(0, 8), 5,
                    new PrintStream(printed, true, StandardCharsets.UTF_8))).isTrue();
            String tree = printed.toString(StandardCharsets.UTF_8);
            assertThat(tree).contains("trace " + server.traceId())
                    .contains("\n  bookmark-service  http put /api/images/{id}/like")
                    .contains("\n    bookmark-service  bookmarks.image-events send")
                    .contains("ERROR");
            assertThat(TraceFile.summarise(spans, "ffffffffffff", 5, new PrintStream(new ByteArrayOutputStream()))).isFalse();
        }
    }

    @Test
    void somethingThatIsNotOtlpProtobufIsRefused() throws Exception {
        try (OtlpTraceReceiver receiver = OtlpTraceReceiver.start(0, spans -> { })) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<Void> json = http.send(HttpRequest.newBuilder(URI.create(receiver.endpoint()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(json.statusCode()).isEqualTo(415);
            HttpResponse<Void> garbage = http.send(HttpRequest.newBuilder(URI.create(receiver.endpoint()))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] { 0x0A, 0x7F, 0x01 }))
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(garbage.statusCode()).isEqualTo(400);
        }
    }
}
