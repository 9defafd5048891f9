package dev.bookmarks.platform.consumer;

import java.time.Duration;
import java.util.function.Function;

import dev.bookmarks.events.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.Mono;

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

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final EventReader reader;

	private final Duration applyTimeout;

	public ReactiveIdempotentConsumer(DatabaseClient db, TransactionalOperator tx, EventReader reader,
			Duration applyTimeout) {
		this.db = db;
		this.tx = tx;
		this.reader = reader;
		this.applyTimeout = applyTimeout;
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

	public EventReader reader() {
		return reader;
	}

}
