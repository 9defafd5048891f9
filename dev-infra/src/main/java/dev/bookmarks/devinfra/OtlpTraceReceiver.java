package dev.bookmarks.devinfra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal OpenTelemetry collector for traces: accepts OTLP over HTTP with protobuf bodies at
 * {@code POST /v1/traces} (what the services' exporters send), on loopback, and hands every span
 * to a consumer. No dependency: the few messages of the trace protocol are decoded by hand.
 * Used by the local stack ({@code BOOKMARKS_TRACING=1}) and by the end-to-end tests.
 */
public final class OtlpTraceReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpTraceReceiver.class);

    private static final int MAX_BODY = 16 * 1024 * 1024;

    private static final String[] KINDS = { "UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER" };

    private final HttpServer server;

    private final ExecutorService executor;

    private OtlpTraceReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on 127.0.0.1:{@code port} (0: any free port) and passes each request's spans to {@code spans}. */
    public static OtlpTraceReceiver start(int port, Consumer<List<ReceivedSpan>> spans) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen for traces on port " + port, e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "otlp-receiver");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/v1/traces", exchange -> receive(exchange, spans));
        server.start();
        return new OtlpTraceReceiver(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What the services' {@code management.opentelemetry.tracing.export.otlp.endpoint} should be. */
    public String endpoint() {
        return "http://127.0.0.1:" + port() + "/v1/traces";
    }

    private static void receive(HttpExchange exchange, Consumer<List<ReceivedSpan>> spans) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.startsWith("application/x-protobuf")) {
                exchange.sendResponseHeaders(415, -1); // OTLP/JSON is not spoken here
                return;
            }
            List<ReceivedSpan> received;
            try {
                InputStream body = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new GZIPInputStream(body);
                }
                received = decodeRequest(readAtMost(body, MAX_BODY));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Refused an OTLP request: {}", e.toString());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            spans.accept(received);
            // An empty ExportTraceServiceResponse: everything accepted.
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            if (out.size() > limit) {
                throw new IOException("body over " + limit + " bytes");
            }
        }
        return out.toByteArray();
    }

    /** Decodes an {@code ExportTraceServiceRequest} (opentelemetry/proto/collector/trace/v1). */
    static List<ReceivedSpan> decodeRequest(byte[] body) {
        List<ReceivedSpan> spans = new ArrayList<>();
        Proto request = new Proto(body, 0, body.length);
        while (request.next()) {
            if (request.field == 1) { // ResourceSpans
                decodeResourceSpans(request.message(), spans);
            } else {
                request.skip();
            }
        }
        return spans;
    }

    private static void decodeResourceSpans(Proto resourceSpans, List<ReceivedSpan> spans) {
        String service = "unknown";
        List<Proto> scopes = new ArrayList<>();
        while (resourceSpans.next()) {
            switch (resourceSpans.field) {
                case 1 -> { // Resource
                    Proto resource = resourceSpans.message();
                    while (resource.next()) {
                        if (resource.field == 1) {
                            Map.Entry<String, String> attribute = keyValue(resource.message());
                            if (attribute.getKey().equals("service.name")) {
                                service = attribute.getValue();
                            }
                        } else {
                            resource.skip();
                        }
                    }
                }
                case 2 -> scopes.add(resourceSpans.message()); // ScopeSpans
                default -> resourceSpans.skip();
            }
        }
        for (Proto scope : scopes) {
            while (scope.next()) {
                if (scope.field == 2) {
                    spans.add(decodeSpan(service, scope.message()));
                } else {
                    scope.skip();
                }
            }
        }
    }

    private static ReceivedSpan decodeSpan(String service, Proto span) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        long start = 0;
        long end = 0;
        boolean error = false;
        Map<String, String> attributes = new LinkedHashMap<>();
        while (span.next()) {
            switch (span.field) {
                case 1 -> traceId = hex(span.bytes());
                case 2 -> spanId = hex(span.bytes());
                case 4 -> parent = hex(span.bytes());
                case 5 -> name = span.string();
                case 6 -> kind = (int) span.varint();
                case 7 -> start = span.fixed64();
                case 8 -> end = span.fixed64();
                case 9 -> {
                    Map.Entry<String, String> attribute = keyValue(span.message());
                    attributes.put(attribute.getKey(), attribute.getValue());
                }
                case 15 -> { // Status: code 2 is ERROR
                    Proto status = span.message();
                    while (status.next()) {
                        if (status.field == 3) {
                            error = status.varint() == 2;
                        } else {
                            status.skip();
                        }
                    }
                }
                default -> span.skip();
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name,
                kind >= 0 && kind < KINDS.length ? KINDS[kind] : "UNSPECIFIED", start, end, error, attributes);
    }

    private static Map.Entry<String, String> keyValue(Proto keyValue) {
        String key = "";
        String value = "";
        while (keyValue.next()) {
            switch (keyValue.field) {
                case 1 -> key = keyValue.string();
                case 2 -> value = anyValue(keyValue.message());
                default -> keyValue.skip();
            }
        }
        return Map.entry(key, value);
    }

    private static String anyValue(Proto value) {
        String text = "";
        while (value.next()) {
            switch (value.field) {
                case 1 -> text = value.string();
                case 2 -> text = Boolean.toString(value.varint() != 0);
                case 3 -> text = Long.toString(value.varint());
                case 4 -> text = Double.toString(Double.longBitsToDouble(value.fixed64()));
                default -> {
                    value.skip();
                    text = "(complex value)";
                }
            }
        }
        return text;
    }

    private static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A reader of the protobuf wire format over one message's bytes. */
    private static final class Proto {

        private final byte[] data;
        private int position;
        private final int limit;
        int field;
        private int wireType;

        Proto(byte[] data, int offset, int limit) {
            this.data = data;
            this.position = offset;
            this.limit = limit;
        }

        /** Reads the next field's tag; false at the end of the message. */
        boolean next() {
            if (position >= limit) {
                return false;
            }
            long tag = varint();
            field = (int) (tag >>> 3);
            wireType = (int) (tag & 7);
            return true;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = take();
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        long fixed64() {
            long result = 0;
            for (int i = 0; i < 8; i++) {
                result |= (take() & 0xFFL) << (8 * i);
            }
            return result;
        }

        Proto message() {
            int length = length();
            Proto inner = new Proto(data, position, position + length);
            position += length;
            return inner;
        }

        byte[] bytes() {
            int length = length();
            byte[] bytes = java.util.Arrays.copyOfRange(data, position, position + length);
            position += length;
            return bytes;
        }

        String string() {
            int length = length();
            String text = new String(data, position, length, StandardCharsets.UTF_8);
            position += length;
            return text;
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
            }
        }

        private int length() {
            if (wireType != 2) {
                throw new IllegalArgumentException("field " + field + " is not length-delimited");
            }
            long length = varint();
            if (length < 0 || length > limit - position) {
                throw new IllegalArgumentException("length " + length + " beyond the message");
            }
            return (int) length;
        }

        private void advance(int n) {
            if (n > limit - position) {
                throw new IllegalArgumentException("truncated message");
            }
            position += n;
        }

        private byte take() {
            if (position >= limit) {
                throw new IllegalArgumentException("truncated message");
            }
            return data[position++];
        }
    }
}
