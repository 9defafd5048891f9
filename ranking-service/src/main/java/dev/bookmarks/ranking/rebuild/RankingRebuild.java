package dev.bookmarks.ranking.rebuild;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.platform.consumer.MalformedEventException;
import dev.bookmarks.platform.kafka.ConsumerProperties;
import dev.bookmarks.ranking.RankingProperties;
import dev.bookmarks.ranking.events.EventApplier;
import dev.bookmarks.ranking.events.EventApplier.PollOutcome;
import dev.bookmarks.ranking.store.RankingStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Recomputes the rankings from Kafka alone, for when Redis lost them: replays the image-events
 * topic from its beginning (likes, display data, deletions first, so that deleted images are
 * known before their views come), then the views topic from the start of its retention, into a
 * fresh key generation, and swaps it in.
 *
 * <p>Nothing is lost while it runs: from the moment the rebuild takes its lease, the live
 * consumers write every event into both generations (their script reads the lease), and the
 * replay stops at the end offsets taken just after that moment. An event both paths apply is
 * applied once: an image event by its dedupe key in the new generation; a view by the offsets,
 * the replay filling each partition from its beginning and the live consumers from where their
 * group stands, each skipping what the other applied (apply-views.lua). Reads keep coming from
 * the old generation until the swap. One rebuild at a time (the lease); a rebuild whose instance dies
 * is abandoned when its lease expires, and its keys are dropped by the next rebuild.
 */
@Component
public class RankingRebuild implements DisposableBean {

	private static final Log log = LogFactory.getLog(RankingRebuild.class);

	/** Groups of images applied concurrently; each group in order, since likes and titles compare with the last one. */
	static final int LANES = 32;

	private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

	private final ConsumerFactory<String, String> consumers;

	private final EventApplier applier;

	private final RankingStore store;

	private final RankingProperties properties;

	private final ConsumerProperties consumer;

	/** Runs the replay: blocking Kafka polls and waits, on a thread of its own (never a Reactor one). */
	private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
		Thread thread = new Thread(task, "ranking-rebuild");
		thread.setDaemon(true);
		return thread;
	});

	RankingRebuild(ConsumerFactory<String, String> consumers, EventApplier applier, RankingStore store,
			RankingProperties properties, ConsumerProperties consumer) {
		this.consumers = consumers;
		this.applier = applier;
		this.store = store;
		this.properties = properties;
		this.consumer = consumer;
	}

	/** Starts a rebuild in the background; the new generation, or empty when one is running already. */
	public Mono<String> start() {
		return store.beginRebuild().doOnNext(generation -> worker.execute(() -> run(generation)));
	}

	/** Rebuilds into the generation whose lease is held; returns whether it was swapped in. */
	boolean run(String generation) {
		long started = System.nanoTime();
		log.info("Rankings rebuild into generation " + generation + " started");
		try (Consumer<String, String> kafka = consumers.createConsumer(null, "ranking-rebuild-" + generation, null)) {
			Lease lease = new Lease(generation);
			long images = replay(kafka, Topics.IMAGE_EVENTS, generation, lease);
			long views = replay(kafka, Topics.IMAGE_VIEWS, generation, lease);
			String previous = store.swap(generation).block(consumer.applyTimeout());
			if (previous == null) {
				log.warn("Rankings rebuild into generation " + generation + " lost its lease; not swapped in");
				return false;
			}
			Long dropped = store.dropStaleGenerations().block(Duration.ofMinutes(10));
			log.info("Rankings rebuilt into generation " + generation + " from " + images + " image events and "
					+ views + " views in " + Duration.ofNanos(System.nanoTime() - started).toMillis()
					+ " ms; it replaced generation " + previous + " (" + dropped + " stale keys dropped)");
			return true;
		}
		catch (RuntimeException ex) {
			log.error("Rankings rebuild into generation " + generation + " failed; the serving generation stays", ex);
			store.abandon(generation).onErrorComplete().block(consumer.applyTimeout());
			return false;
		}
	}

	/** Applies one topic from its beginning up to its end offsets as of now; returns the records read. */
	private long replay(Consumer<String, String> kafka, String topic, String generation, Lease lease) {
		List<TopicPartition> partitions = new ArrayList<>();
		for (PartitionInfo partition : kafka.partitionsFor(topic, KAFKA_TIMEOUT)) {
			partitions.add(new TopicPartition(topic, partition.partition()));
		}
		kafka.assign(partitions);
		kafka.seekToBeginning(partitions);
		Map<TopicPartition, Long> end = new HashMap<>(kafka.endOffsets(partitions, KAFKA_TIMEOUT));
		long read = 0;
		while (!caughtUp(kafka, end)) {
			List<ConsumerRecord<String, String>> batch = new ArrayList<>();
			for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(500))) {
				if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
					batch.add(record);
				}
			}
			if (topic.equals(Topics.IMAGE_VIEWS)) {
				applyViews(batch, generation);
			}
			else {
				apply(batch, generation);
			}
			read += batch.size();
			lease.renewIfDue();
		}
		log.info("Rankings rebuild " + generation + ": replayed " + read + " records of " + topic);
		return read;
	}

	private static boolean caughtUp(Consumer<String, String> kafka, Map<TopicPartition, Long> end) {
		for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
			if (kafka.position(partition.getKey(), KAFKA_TIMEOUT) < partition.getValue()) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Views by partition in offset order, as the live consumer applies them: each partition's
	 * replay stops, atomically, where the live consumers started writing into the new generation.
	 */
	private void applyViews(List<ConsumerRecord<String, String>> batch, String generation) {
		PollOutcome outcome = applier.applyViews(batch, generation, true).block(consumer.applyTimeout());
		if (outcome.failed()) {
			throw new IllegalStateException("Views not applied: " + outcome.failure().getMessage(), outcome.failure());
		}
		if (outcome.skipped() > 0) {
			// They reached the dead-letter topic when they were first consumed.
			log.warn("Rankings rebuild " + generation + ": skipped " + outcome.skipped() + " malformed records");
		}
	}

	private void apply(List<ConsumerRecord<String, String>> batch, String generation) {
		AtomicLong malformed = new AtomicLong();
		Flux.fromIterable(batch)
			.groupBy(record -> Math.floorMod(String.valueOf(record.key()).hashCode(), LANES))
			.flatMap(lane -> lane.concatMap(record -> {
				EventEnvelope event;
				try {
					event = applier.read(record.value());
				}
				catch (MalformedEventException ex) {
					malformed.incrementAndGet();
					return Mono.empty();
				}
				return applier.apply(event, generation).onErrorResume(MalformedEventException.class, ex -> {
					malformed.incrementAndGet();
					return Mono.empty();
				});
			}), LANES)
			.then()
			.block(consumer.applyTimeout());
		if (malformed.get() > 0) {
			// They reached the dead-letter topic when they were first consumed.
			log.warn("Rankings rebuild " + generation + ": skipped " + malformed.get() + " malformed records");
		}
	}

	@Override
	public void destroy() {
		worker.shutdownNow();
	}

	/** Keeps the lease while the replay makes progress; fails the rebuild once it is lost. */
	private final class Lease {

		private final String generation;

		private long renewedAt = System.nanoTime();

		Lease(String generation) {
			this.generation = generation;
		}

		void renewIfDue() {
			if (System.nanoTime() - renewedAt < properties.rebuildLease().toNanos() / 4) {
				return;
			}
			if (!Boolean.TRUE.equals(store.renewLease(generation).block(consumer.applyTimeout()))) {
				throw new IllegalStateException("The rebuild lease of generation " + generation + " was lost");
			}
			renewedAt = System.nanoTime();
		}

	}

}
