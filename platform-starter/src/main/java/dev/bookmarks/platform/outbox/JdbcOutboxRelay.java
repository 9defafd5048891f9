package dev.bookmarks.platform.outbox;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.bookmarks.platform.tracing.EventTracing;
import dev.bookmarks.platform.tracing.StoredTraceContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows of a JDBC service, with the same claim-publish-mark cycle as
 * {@link ReactiveOutboxRelay}, on one dedicated thread.
 */
public class JdbcOutboxRelay implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(JdbcOutboxRelay.class);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	private final KafkaTemplate<String, String> kafka;

	private final OutboxProperties properties;

	private final OutboxMetrics metrics;

	private final EventTracing tracing;

	private volatile ScheduledExecutorService executor;

	private int failures;

	JdbcOutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, KafkaTemplate<String, String> kafka,
			OutboxProperties properties, OutboxMetrics metrics, EventTracing tracing) {
		this.jdbc = jdbc;
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
	public int relayOnce() {
		Integer result = tx.execute(status -> {
			if (!Boolean.TRUE.equals(jdbc.queryForObject(OutboxSql.TRY_LEAD, Boolean.class))) {
				return 0;
			}
			List<OutboxRow> rows = jdbc.query(OutboxSql.CLAIM,
					(rs, i) -> new OutboxRow(rs.getObject("id", UUID.class), rs.getString("topic"),
							rs.getString("aggregate_id"), rs.getString("envelope"), rs.getInt("attempts"),
							new StoredTraceContext(rs.getString("traceparent"), rs.getString("tracestate"))),
					properties.batchSize());
			int sent = 0;
			for (OutboxRow row : rows) {
				try {
					tracing.continueTrace(row.trace(), OutboxRow.PUBLISH_SPAN, () -> kafka.send(row.toRecord())).get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (Exception error) {
					if (error instanceof InterruptedException) {
						Thread.currentThread().interrupt();
					}
					markFailed(row, error);
					return -1;
				}
				jdbc.update(OutboxSql.MARK_SENT, row.id());
				metrics.sent();
				sent++;
			}
			return sent;
		});
		return result == null ? 0 : result;
	}

	private void markFailed(OutboxRow row, Throwable error) {
		FailedPublish failure = FailedPublish.of(row, error, properties);
		jdbc.update(OutboxSql.MARK_FAILED, failure.markFailedParameters());
		metrics.failed(failure.parked());
	}

	/** Deletes sent rows older than the retention. */
	public int cleanUp() {
		return jdbc.update(OutboxSql.DELETE_SENT_BEFORE, OutboxSql.interval(properties.retention()));
	}

	private void cycle() {
		Duration pause;
		try {
			int result = relayOnce();
			if (result < 0) {
				pause = properties.backoffAfter(++failures);
			}
			else {
				failures = 0;
				pause = result >= properties.batchSize() ? Duration.ZERO : properties.pollInterval();
				if (result == 0 && java.util.concurrent.ThreadLocalRandom.current().nextInt(1000) == 0) {
					cleanUp();
				}
			}
		}
		catch (RuntimeException error) {
			log.warn("Outbox relay cycle failed: " + OutboxRow.describe(error));
			pause = properties.backoffAfter(++failures);
		}
		ScheduledExecutorService current = executor;
		if (current != null && !current.isShutdown()) {
			current.schedule(this::cycle, pause.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void start() {
		executor = OutboxBacklog.daemonThread("outbox-relay");
		executor.execute(this::cycle);
		log.info("Outbox relay started");
	}

	@Override
	public void stop() {
		ScheduledExecutorService current = executor;
		executor = null;
		if (current != null) {
			current.shutdown();
			try {
				current.awaitTermination(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return executor != null;
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

}
