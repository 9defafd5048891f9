package dev.bookmarks.platform.tracing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Carries a request's trace to the Kafka records it causes. An event written to the outbox is sent
 * later by the relay, on another thread and perhaps by another instance, so the request's W3C
 * trace context is captured with the event ({@link #capture}) and the relay's send is made a
 * child of it again ({@link #continueTrace}); Spring Kafka's producer observation then puts it
 * into the record's headers, where the consumers' listener observations pick it up.
 * <p>
 * Reactive code keeps the current observation in the Reactor context rather than on the thread,
 * so the variants for it take that observation ({@link ReactorObservations#of}). Without a tracer
 * (tracing switched off) every method does nothing but call through. No Reactor type appears
 * here: servlet services have none on their class path.
 */
public class EventTracing {

	/** Tracing switched off: nothing is captured, sends are made as they are. */
	public static final EventTracing OFF = new EventTracing(null, null);

	private static final String TRACEPARENT = "traceparent";

	private static final String TRACESTATE = "tracestate";

	private final Tracer tracer;

	private final Propagator propagator;

	public EventTracing(Tracer tracer, Propagator propagator) {
		boolean on = tracer != null && propagator != null && tracer != Tracer.NOOP && propagator != Propagator.NOOP;
		this.tracer = on ? tracer : null;
		this.propagator = on ? propagator : null;
	}

	/** The trace context current on this thread (a servlet request, a Kafka listener). */
	public StoredTraceContext capture() {
		if (tracer == null) {
			return StoredTraceContext.NONE;
		}
		return store(tracer.currentSpan());
	}

	/** The trace context of this observation (a reactive request's), else the thread's. */
	public StoredTraceContext capture(Observation observation) {
		if (tracer == null) {
			return StoredTraceContext.NONE;
		}
		Span span = spanOf(observation);
		return span != null ? store(span) : capture();
	}

	/**
	 * Runs {@code send} as part of the stored trace: inside a span named {@code spanName} whose
	 * parent is the stored context, ended when the future completes.
	 */
	public <T> CompletableFuture<T> continueTrace(StoredTraceContext stored, String spanName,
			Supplier<CompletableFuture<T>> send) {
		if (tracer == null || stored == null || !stored.isPresent()) {
			return send.get();
		}
		Map<String, String> carrier = new HashMap<>(4);
		carrier.put(TRACEPARENT, stored.traceparent());
		if (stored.tracestate() != null) {
			carrier.put(TRACESTATE, stored.tracestate());
		}
		Span span = propagator.extract(carrier, Map::get).name(spanName).start();
		return inSpan(span, send, true);
	}

	/** Runs {@code send} inside the span of this observation (a request's send nobody waits for). */
	public <T> CompletableFuture<T> inSpanOf(Observation observation, Supplier<CompletableFuture<T>> send) {
		Span span = tracer == null ? null : spanOf(observation);
		return span == null ? send.get() : inSpan(span, send, false);
	}

	private <T> CompletableFuture<T> inSpan(Span span, Supplier<CompletableFuture<T>> send, boolean endIt) {
		CompletableFuture<T> future;
		try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
			future = send.get();
		}
		catch (RuntimeException error) {
			if (endIt) {
				span.error(error).end();
			}
			throw error;
		}
		if (!endIt) {
			return future;
		}
		return future.whenComplete((result, error) -> {
			if (error != null) {
				span.error(error);
			}
			span.end();
		});
	}

	private static Span spanOf(Observation observation) {
		if (observation == null) {
			return null;
		}
		TracingObservationHandler.TracingContext tracing = observation.getContextView()
			.get(TracingObservationHandler.TracingContext.class);
		return tracing != null ? tracing.getSpan() : null;
	}

	private StoredTraceContext store(Span span) {
		if (span == null) {
			return StoredTraceContext.NONE;
		}
		TraceContext context = span.context();
		Map<String, String> carrier = new HashMap<>(4);
		propagator.inject(context, carrier, Map::put);
		String traceparent = carrier.get(TRACEPARENT);
		return traceparent == null ? StoredTraceContext.NONE
				: new StoredTraceContext(traceparent, blankToNull(carrier.get(TRACESTATE)));
	}

	private static String blankToNull(String value) {
		return value == null || value.isEmpty() ? null : value;
	}

}
