package dev.bookmarks.platform.outbox;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Samples the outbox every few seconds for {@link OutboxMetrics}: how many rows wait, how old the
 * oldest is, how many are parked. A scrape only reads the last sample, so it never waits for the
 * database; a failed sample keeps the previous figures (and a stuck relay shows as a growing age).
 * One thread of its own, so the same code serves JDBC and R2DBC services (the JDBC ones have no
 * Reactor).
 */
public class OutboxBacklog implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(OutboxBacklog.class);

	static final Duration INTERVAL = Duration.ofSeconds(10);

	/** One statement for all three figures; the pending ones use the relay's partial index. */
	static final String SAMPLE = """
			SELECT count(*) FILTER (WHERE parked_at IS NULL) AS pending,
			       coalesce(floor(extract(epoch FROM now() - min(occurred_at) FILTER (WHERE parked_at IS NULL)) * 1000), 0)::bigint AS oldest_millis,
			       count(*) FILTER (WHERE parked_at IS NOT NULL) AS parked
			FROM outbox
			WHERE sent_at IS NULL""";

	private final Callable<Sample> sampler;

	private final OutboxMetrics metrics;

	private volatile ScheduledExecutorService executor;

	/** @param sampler runs {@link #SAMPLE}; it may block (it runs on the sampler's own thread) */
	public OutboxBacklog(Callable<Sample> sampler, OutboxMetrics metrics) {
		this.sampler = sampler;
		this.metrics = metrics;
	}

	/** Samples now and reports it. */
	public Sample sampleNow() throws Exception {
		Sample sample = sampler.call();
		metrics.backlog(sample);
		return sample;
	}

	private void sampleQuietly() {
		try {
			sampleNow();
		}
		catch (Exception ex) {
			log.debug("Outbox backlog sample failed: " + ex);
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService started = daemonThread("outbox-backlog");
		started.scheduleWithFixedDelay(this::sampleQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		executor = started;
	}

	@Override
	public void stop() {
		ScheduledExecutorService current = executor;
		executor = null;
		if (current != null) {
			current.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return executor != null;
	}

	@Override
	public int getPhase() {
		// Stops before the connection pool goes away.
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

	/** One daemon thread for the outbox's own periodic work. */
	static ScheduledExecutorService daemonThread(String name) {
		return Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	/** What one sample found. */
	public record Sample(long pending, long oldestPendingMillis, long parked) {
	}

}
