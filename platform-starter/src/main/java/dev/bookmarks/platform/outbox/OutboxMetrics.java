package dev.bookmarks.platform.outbox;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the relays report: sent, failed and parked rows, and the backlog that {@link OutboxBacklog}
 * samples from the table (every replica reports the same table, so dashboards take the maximum
 * per service, not the sum).
 */
public class OutboxMetrics {

	private final Counter sent;

	private final Counter failed;

	private final Counter parked;

	private final AtomicLong pendingRows = new AtomicLong();

	private final AtomicLong oldestPendingMillis = new AtomicLong();

	private final AtomicLong parkedRows = new AtomicLong();

	public OutboxMetrics(MeterRegistry registry) {
		this.sent = Counter.builder("bookmarks.outbox.sent").description("Outbox rows published to Kafka")
			.register(registry);
		this.failed = Counter.builder("bookmarks.outbox.failed").description("Failed publish attempts")
			.register(registry);
		this.parked = Counter.builder("bookmarks.outbox.parked")
			.description("Rows parked after too many failed attempts; they need an operator")
			.register(registry);
		Gauge.builder("bookmarks.outbox.pending", pendingRows, AtomicLong::get)
			.description("Outbox rows not yet sent (parked rows not included), as last sampled")
			.baseUnit("rows")
			.register(registry);
		Gauge.builder("bookmarks.outbox.oldest.pending.age", oldestPendingMillis, millis -> millis.get() / 1000.0)
			.description("Age of the oldest outbox row not yet sent, as last sampled; 0 when none waits")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("bookmarks.outbox.parked.rows", parkedRows, AtomicLong::get)
			.description("Parked outbox rows in the table, as last sampled; each needs an operator")
			.baseUnit("rows")
			.register(registry);
	}

	void sent() {
		sent.increment();
	}

	void failed(boolean nowParked) {
		failed.increment();
		if (nowParked) {
			parked.increment();
		}
	}

	void backlog(OutboxBacklog.Sample sample) {
		pendingRows.set(sample.pending());
		oldestPendingMillis.set(sample.oldestPendingMillis());
		parkedRows.set(sample.parked());
	}

}
