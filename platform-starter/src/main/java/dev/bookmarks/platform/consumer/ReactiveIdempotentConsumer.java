package dev.bookmarks.platform.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.bookmarks.events.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.Mono;

import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Applies each event at most once per consumer: the processed-event row and the effect are
 * written in one transaction, so a redelivered event finds its row and is skipped, and a failed
 * effect leaves no row behind and is retried.
 *
 * <p>Listeners call {@link #apply} from a plain {@code void} {@code @KafkaListener} method: the
 * effect stays reactive (R2DBC), and the listener thread waits for it. That thread belongs to the
 * Kafka container, never to an event loop. Why not return the {@code Mono} to the container:
 * Spring Kafka 4.0 acknowledges async results out of order, so it hands the next records of a
 * partition to the listener before the previous one is applied (one aggregate's events could
 * apply out of order), and it routes an async failure to the container's error handler only for
 * {@code @RetryableTopic} listeners; for the others the record is logged and acknowledged, with no
 * retry and no dead letter (proven by BackboneTest before this choice). Waiting keeps the order of
 * each partition and lets the {@code DefaultErrorHandler} retry and dead-letter.
 */
public class ReactiveIdempotentConsumer {

	private static final String REMEMBER = """
			INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING""";

	private static final String REMEMBER_ALL = """
			INSERT INTO processed_event (consumer, event_id) SELECT $1, unnest($2::uuid[])
			ON CONFLICT DO NOTHING RETURNING event_id""";

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final EventReader reader;

	private final Duration applyTimeout;

	private final BatchTracing tracing;

	public ReactiveIdempotentConsumer(DatabaseClient db, TransactionalOperator tx, EventReader reader,
			Duration applyTimeout, BatchTracing tracing) {
		this.db = db;
		this.tx = tx;
		this.reader = reader;
		this.applyTimeout = applyTimeout;
		this.tracing = tracing;
	}

	/**
	 * Parses the record value and applies the effect once.
	 * @param consumer the name of the projection or reaction, unique within the service
	 * @param value the record value, an event envelope
	 * @param effect what to do with the event, inside the transaction
	 * @return completes when the effect is committed, or at once for an event seen before
	 */
	public Mono<Void> applyOnce(String consumer, String value, Function<EventEnvelope, Mono<Void>> effect) {
		return Mono.fromCallable(() -> reader.envelope(value))
			.flatMap(envelope -> db.sql(REMEMBER)
				.bind(0, consumer)
				.bind(1, envelope.eventId())
				.fetch()
				.rowsUpdated()
				.flatMap(inserted -> inserted == 0 ? Mono.<Void>empty() : effect.apply(envelope))
				.as(tx::transactional));
	}

	/**
	 * Applies the record's event once and waits for the commit; an error propagates to the
	 * container's error handler, which retries with back-off and then dead-letters the record.
	 */
	public void apply(String consumer, ConsumerRecord<String, String> record,
			Function<EventEnvelope, Mono<Void>> effect) {
		applyOnce(consumer, record.value(), effect).block(applyTimeout);
	}

	/**
	 * Applies a poll's records from a batch listener: their new events (in record order, each
	 * once, also when one event is twice in the batch) in one transaction, which costs a few round
	 * trips whatever the number of records, instead of one transaction per record. When that fails,
	 * the records are applied one by one with the same effect, each in its own transaction, and the
	 * first that fails is reported to the container's error handler by its index
	 * ({@link BatchListenerFailedException}): the records before it are committed, it is retried
	 * with back-off and then dead-lettered alone, and the rest go on. Each record gets a consumer
	 * span in its producer's trace ({@link BatchTracing}).
	 * @param effect what to do with the batch's new events, inside the transaction; it must give
	 * what applying them one by one in this order gives
	 */
	public void applyAll(String consumer, List<ConsumerRecord<String, String>> records,
			Function<List<EventEnvelope>, Mono<Void>> effect) {
		applyAll(consumer, records, effect, nothing -> {
		});
	}

	/**
	 * As {@link #applyAll(String, List, Function)}, for an effect with a result: {@code afterCommit} gets it once
	 * its transaction is committed (the batch's, or each record's when they are applied one by one), for what must
	 * happen only once the change is visible (telling other instances about it, say). Not called when none of the
	 * events was new.
	 */
	public <R> void applyAll(String consumer, List<ConsumerRecord<String, String>> records,
			Function<List<EventEnvelope>, Mono<R>> effect, Consumer<R> afterCommit) {
		tracing.inConsumerSpans(records, () -> applyAllTraced(consumer, records, effect, afterCommit));
	}

	private <R> void applyAllTraced(String consumer, List<ConsumerRecord<String, String>> records,
			Function<List<EventEnvelope>, Mono<R>> effect, Consumer<R> afterCommit) {
		try {
			committed(applyAllOnce(consumer, records, effect).block(applyTimeout), afterCommit);
			return;
		}
		catch (RuntimeException batchFailure) {
			if (records.size() == 1) {
				throw new BatchListenerFailedException("Event not applied: " + batchFailure, batchFailure, 0);
			}
		}
		for (int i = 0; i < records.size(); i++) {
			R result;
			try {
				result = applyAllOnce(consumer, List.of(records.get(i)), effect).block(applyTimeout);
			}
			catch (RuntimeException ex) {
				throw new BatchListenerFailedException("Event not applied: " + ex, ex, i);
			}
			committed(result, afterCommit);
		}
	}

	private static <R> void committed(R result, Consumer<R> afterCommit) {
		if (result != null) {
			afterCommit.accept(result);
		}
	}

	private <R> Mono<R> applyAllOnce(String consumer, List<ConsumerRecord<String, String>> records,
			Function<List<EventEnvelope>, Mono<R>> effect) {
		return Mono.fromCallable(() -> {
			// Parsed before the transaction: a malformed record fails here, without a round trip.
			Map<UUID, EventEnvelope> events = new LinkedHashMap<>();
			for (ConsumerRecord<String, String> record : records) {
				EventEnvelope event = reader.envelope(record.value());
				events.putIfAbsent(event.eventId(), event);
			}
			return events;
		})
			.flatMap(events -> db.sql(REMEMBER_ALL)
				.bind(0, consumer)
				.bind(1, events.keySet().toArray(UUID[]::new))
				.map(row -> row.get(0, UUID.class))
				.all()
				.collect(HashSet<UUID>::new, Set::add)
				.flatMap(fresh -> {
					List<EventEnvelope> applied = new ArrayList<>();
					events.forEach((id, event) -> {
						if (fresh.contains(id)) {
							applied.add(event);
						}
					});
					return applied.isEmpty() ? Mono.<R>empty() : effect.apply(applied);
				})
				.as(tx::transactional));
	}

	public EventReader reader() {
		return reader;
	}

}
