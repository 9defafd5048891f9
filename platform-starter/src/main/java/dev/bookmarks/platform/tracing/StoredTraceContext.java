package dev.bookmarks.platform.tracing;

/**
 * A W3C trace context kept for later: the {@code traceparent} and {@code tracestate} header
 * values, as the outbox stores them beside an event.
 *
 * @param traceparent version, trace id, parent span id and flags; null when there was no trace
 * @param tracestate vendor data that travels with the trace; null when there was none
 */
public record StoredTraceContext(String traceparent, String tracestate) {

	public static final StoredTraceContext NONE = new StoredTraceContext(null, null);

	public boolean isPresent() {
		return traceparent != null;
	}

}
