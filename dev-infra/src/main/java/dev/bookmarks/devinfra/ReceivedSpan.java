package dev.bookmarks.devinfra;

import java.util.Map;

/**
 * One span as an OTLP exporter sent it, reduced to what a reader of traces needs.
 *
 * @param service the {@code service.name} resource attribute of the process that made it
 * @param traceId 32 hex digits
 * @param spanId 16 hex digits
 * @param parentSpanId 16 hex digits, or empty for a trace's root
 * @param name the span's name, e.g. {@code http get /api/images/{id}}
 * @param kind {@code INTERNAL}, {@code SERVER}, {@code CLIENT}, {@code PRODUCER} or {@code CONSUMER}
 * @param startNanos start, nanoseconds since the epoch
 * @param endNanos end, nanoseconds since the epoch
 * @param error whether the span's status is an error
 * @param attributes the span's attributes, each value as text
 */
public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
        long startNanos, long endNanos, boolean error, Map<String, String> attributes) {

    public long durationMicros() {
        return (endNanos - startNanos) / 1000;
    }

    public boolean isRoot() {
        return parentSpanId.isEmpty();
    }

    /** One line of JSON, the form {@link OtlpTraceReceiver} appends to its file. */
    public String toJson() {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "service", service).append(',');
        field(json, "traceId", traceId).append(',');
        field(json, "spanId", spanId).append(',');
        field(json, "parentSpanId", parentSpanId).append(',');
        field(json, "name", name).append(',');
        field(json, "kind", kind).append(',');
        json.append("\"startNanos\":").append(startNanos).append(',');
        json.append("\"endNanos\":").append(endNanos).append(',');
        json.append("\"error\":").append(error).append(',');
        json.append("\"attributes\":{");
        boolean first = true;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            if (!first) {
                json.append(',');
            }
            field(json, attribute.getKey(), attribute.getValue());
            first = false;
        }
        return json.append("}}").toString();
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        return string(string(json, name).append(':'), value);
    }

    private static StringBuilder string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
