package dev.bookmarks.platform.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bookmarks.platform.tracing.EventTracing;
import dev.bookmarks.platform.tracing.StoredTraceContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Publishes outbox rows of an R2DBC service. Each cycle takes the relay lock (one relay publishes
 * at a time, so each aggregate's events leave in order), claims due rows with
 * {@code FOR UPDATE SKIP LOCKED}, publishes them in order with the idempotent producer
 * ({@code acks=all}), and marks them sent in the same transaction, so a crash anywhere re-sends
 * rather than loses. A failed publish stops the batch (the broker is most likely away), backs the
 * row off, and parks it after too many attempts.
 */
public class ReactiveOutboxRelay implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(ReactiveOutboxRelay.class);

	private static final String CLAIM = OutboxSql.numbered(OutboxSql.CLAIM);

	private static final String MARK_SENT = OutboxSql.numbered(OutboxSql.MARK_SENT);

	private static final String MARK_FAILED = OutboxSql.numbered(OutboxSql.MARK_FAILED);

	private static final String CLEAN_UP = OutboxSql.numbered(OutboxSql.DELETE_SENT_BEFORE);

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final KafkaTemplate<String, String> kafka;

	private final OutboxProperties properties;

	private final OutboxMetrics metrics;

	private final EventTracing tracing;

	private volatile Disposable loop;

	public ReactiveOutboxRelay(DatabaseClient db, TransactionalOperator tx, KafkaTemplate<String, String> kafka,
			OutboxProperties properties, OutboxMetrics metrics, EventTracing tracing) {
		this.db = db;
		this.tx = tx;
		this.kafka = kafka;
		this.properties = properties;
		this.metrics = metrics;
		this.tracing = tracing;
	}

	/**
	 * Runs one claim-publish-mark cycle.
	 * @return the number of rows published, or -1 if a publish failed
	 */
	public Mono<Integer> relayOnce() {
		return db.sql(OutboxSql.TRY_LEAD)
			.map(row -> row.get(0, Boolean.class))
			.one()
			.flatMap(leading -> leading ? claim().collectList().flatMap(this::publishAll) : Mono.just(0))
			.as(tx::transactional);
	}

	private Flux<OutboxRow> claim() {
		return db.sql(CLAIM)
			.bind(0, properties.batchSize())
			.map((row, meta) -> new OutboxRow(row.get("id", java.util.UUID.class), row.get("topic", String.class),
					row.get("aggregate_id", String.class), row.get("envelope", String.class),
					row.get("attempts", Integer.class),
					new StoredTraceContext(row.get("traceparent", String.class), row.get("tracestate", String.class))))
			.all();
	}

	private Mono<Integer> publishAll(List<OutboxRow> rows) {
		return Flux.fromIterable(rows)
			.concatMap(row -> publish(row).then(markSent(row)).thenReturn(true).onErrorResume(error -> markFailed(row, error)))
			.takeUntil(sent -> !sent)
			.collectList()
			.map(results -> results.contains(false) ? -1 : results.size());
	}

	private Mono<Void> publish(OutboxRow row) {
		// send() can block while it waits for metadata, so it never runs on an event loop.
		return Mono.fromFuture(
				() -> tracing.continueTrace(row.trace(), OutboxRow.PUBLISH_SPAN, () -> kafka.send(row.toRecord())))
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(properties.sendTimeout())
			.then();
	}

	private Mono<Void> markSent(OutboxRow row) {
		return db.sql(MARK_SENT).bind(0, row.id()).fetch().rowsUpdated().doOnNext(n -> metrics.sent()).then();
	}

	private Mono<Boolean> markFailed(OutboxRow row, Throwable error) {
		FailedPublish failure = FailedPublish.of(row, error, properties);
		DatabaseClient.GenericExecuteSpec update = db.sql(MARK_FAILED);
		Object[] parameters = failure.markFailedParameters();
		for (int i = 0; i < parameters.length; i++) {
			update = update.bind(i, parameters[i]);
		}
		return update.fetch().rowsUpdated().doOnNext(n -> metrics.failed(failure.parked())).thenReturn(false);
	}

	/** Deletes sent rows older than the retention. */
	public Mono<Long> cleanUp() {
		return db.sql(CLEAN_UP).bind(0, OutboxSql.interval(properties.retention())).fetch().rowsUpdated();
	}

	@Override
	public void start() {
		AtomicInteger failures = new AtomicInteger();
		loop = Mono.defer(this::relayOnce)
			.onErrorResume(error -> {
				log.warn("Outbox relay cycle failed: " + OutboxRow.describe(error));
				return Mono.just(-1);
			})
			.flatMap(result -> housekeeping(result).then(Mono.delay(pauseAfter(result, failures))))
			.repeat()
			.subscribeOn(Schedulers.boundedElastic())
			.subscribe();
		log.info("Outbox relay started");
	}

	/** Claims again at once after a full batch, after the poll interval when idle, later after a failure. */
	private Duration pauseAfter(int result, AtomicInteger failures) {
		if (result < 0) {
			return properties.backoffAfter(failures.incrementAndGet());
		}
		failures.set(0);
		return result >= properties.batchSize() ? Duration.ZERO : properties.pollInterval();
	}

	/** Now and then, when idle, deletes old sent rows. */
	private Mono<Void> housekeeping(int result) {
		if (result != 0 || ThreadLocalRandom.current().nextInt(1000) != 0) {
			return Mono.empty();
		}
		return cleanUp().onErrorResume(error -> Mono.empty()).then();
	}

	@Override
	public void stop() {
		Disposable current = loop;
		if (current != null) {
			current.dispose();
		}
		loop = null;
	}

	@Override
	public boolean isRunning() {
		return loop != null && !loop.isDisposed();
	}

	@Override
	public int getPhase() {
		// Stops before the Kafka producer and the connection pool go away.
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

}
