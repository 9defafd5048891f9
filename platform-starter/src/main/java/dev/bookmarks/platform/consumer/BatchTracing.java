package dev.bookmarks.platform.consumer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Consumer spans for the batch listeners. Spring Kafka observes record listeners only, so a poll
 * applied as one batch would leave every event's trace at its producer. Here each record gets a
 * {@code <topic> process} span whose parent is the producer span its headers carry (the W3C
 * context the producer observation wrote), all of them ended when the batch's work ends: the
 * record was applied in that batch's transaction.
 */
public class BatchTracing {

	private final Tracer tracer;

	private final Propagator propagator;

	public BatchTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		Tracer found = tracer.getIfAvailable(() -> Tracer.NOOP);
		Propagator foundPropagator = propagator.getIfAvailable(() -> Propagator.NOOP);
		boolean on = found != Tracer.NOOP && foundPropagator != Propagator.NOOP;
		this.tracer = on ? found : null;
		this.propagator = on ? foundPropagator : null;
	}

	/** Runs {@code work} (the batch) with one consumer span per record around it. */
	public void inConsumerSpans(List<ConsumerRecord<String, String>> records, Runnable work) {
		if (tracer == null) {
			work.run();
			return;
		}
		List<Span> spans = new ArrayList<>(records.size());
		for (ConsumerRecord<String, String> record : records) {
			spans.add(propagator.extract(record.headers(), BatchTracing::header)
				.kind(Span.Kind.CONSUMER)
				.name(record.topic() + " process")
				.tag("messaging.system", "kafka")
				.tag("messaging.operation", "process")
				.tag("messaging.source.name", record.topic())
				.tag("messaging.kafka.source.partition", String.valueOf(record.partition()))
				.tag("messaging.kafka.message.offset", String.valueOf(record.offset()))
				.start());
		}
		try {
			work.run();
		}
		catch (RuntimeException failure) {
			spans.forEach(span -> span.error(failure));
			throw failure;
		}
		finally {
			spans.forEach(Span::end);
		}
	}

	private static String header(Headers headers, String key) {
		Header header = headers.lastHeader(key);
		return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
	}

}
