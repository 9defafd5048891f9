package dev.bookmarks.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What the relays report: sent, failed and parked rows. */
public class OutboxMetrics {

	private final Counter sent;

	private final Counter failed;

	private final Counter parked;

	public OutboxMetrics(MeterRegistry registry) {
		this.sent = Counter.builder("bookmarks.outbox.sent").description("Outbox rows published to Kafka")
			.register(registry);
		this.failed = Counter.builder("bookmarks.outbox.failed").description("Failed publish attempts")
			.register(registry);
		this.parked = Counter.builder("bookmarks.outbox.parked")
			.description("Rows parked after too many failed attempts; they need an operator")
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

}
