package dev.bookmarks.platform.consumer;

import java.util.function.Function;

import dev.bookmarks.events.EventEnvelope;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Applies each event at most once per consumer: the processed-event row and the effect are
 * written in one transaction, so a redelivered event finds its row and is skipped, and a failed
 * effect leaves no row behind and is retried.
 */
public class ReactiveIdempotentConsumer {

	private static final String REMEMBER = """
			INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING""";

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final EventReader reader;

	public ReactiveIdempotentConsumer(DatabaseClient db, TransactionalOperator tx, EventReader reader) {
		this.db = db;
		this.tx = tx;
		this.reader = reader;
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

	public EventReader reader() {
		return reader;
	}

}
