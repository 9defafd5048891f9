package dev.bookmarks.activity.feed;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.bookmarks.activity.action.NewAction;
import dev.bookmarks.activity.action.NewActionsChannel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * The live feeds open on this instance. Every instance hears of new actions on the shared channel
 * (never from another instance's memory). Each dispatch reads the actions committed since the last
 * one once for the whole instance, in commit order (transactions below the horizon, which have all
 * ended), asks once which connected readers see which of their actors, and hands each stream its
 * rows: the cost of a dispatch grows with new actions, not with streams times actions.
 *
 * <p>A stream that is not in step (new with Last-Event-ID, a failed read, a slow client whose
 * queue overflowed, or a dispatch too large to share) reads its feed onwards from the last action
 * it sent by itself, up to a known horizon, and is in step again. Since a stream only takes rows
 * after everything it has covered, a resumed stream first gets what it missed, and nothing is sent
 * twice or skipped.
 *
 * <p>Bounded: connections per instance (503) and per person (429); a stream's own reads run at
 * most {@value #CONCURRENT_READS} at a time, at most ten a second per stream; a dispatch shares at
 * most {@value #SHARED_ROWS} actions (more make every stream read by itself), and a stream queues
 * at most {@value #QUEUED} of them.
 */
@Component
class FeedStreams implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(FeedStreams.class);

	static final int PAGE = 100;

	static final int CONCURRENT_READS = 8;

	/** Most actions one dispatch reads and shares; beyond it, streams read for themselves. */
	static final int SHARED_ROWS = 1000;

	/** Most shared batches a stream holds before it is sent (a slow client); beyond it, it reads for itself. */
	static final int QUEUED = 64;

	/** After a stream's own read: wake-ups meanwhile make one read, so such reads cost at most 10 a second. */
	static final Duration PAUSE = Duration.ofMillis(100);

	/** Hints arriving within this time after a dispatch make one dispatch. */
	static final Duration BATCH = Duration.ofMillis(50);

	/** Position before everything of a transaction: a new stream starts at the oldest running transaction. */
	private static final UUID LAST_ID = new UUID(-1L, -1L);

	private final FeedQueries queries;

	private final NewActionsChannel channel;

	private final FeedProperties.Stream properties;

	private final Map<UUID, Set<Connection>> byReader = new ConcurrentHashMap<>();

	private final AtomicInteger open = new AtomicInteger();

	private final Sinks.Many<Mono<Void>> reads = Sinks.many().unicast().onBackpressureBuffer();

	/** Whether hints arrived since the last dispatch, and the newest transaction among them. */
	private final AtomicLong pendingTx = new AtomicLong();

	private final Sinks.Many<Boolean> dispatches = Sinks.many().unicast().onBackpressureBuffer();

	/**
	 * Every action of a transaction below it has been shared by a dispatch (0: not yet known). Only the
	 * one dispatch running at a time touches it.
	 */
	private long shared;

	/** Stream reads: by a stream for itself, and by a dispatch for every stream of this instance. */
	private final Counter ownReads;

	private final Counter sharedReads;

	private volatile Disposable running;

	FeedStreams(FeedQueries queries, NewActionsChannel channel, FeedProperties.Stream properties,
			ObjectProvider<MeterRegistry> registry) {
		this.queries = queries;
		this.channel = channel;
		this.properties = properties;
		FeedMeters meters = new FeedMeters(registry);
		String description = "Reads for live feeds: by one stream for itself (own), or once per dispatch for all (shared)";
		this.ownReads = meters.counter("bookmarks.feed.stream.reads", description, "kind", "own");
		this.sharedReads = meters.counter("bookmarks.feed.stream.reads", description, "kind", "shared");
	}

	/**
	 * Opens a stream for this reader, from the position given or from now; refused at once when
	 * this instance or this reader has too many.
	 */
	Flux<ServerSentEvent<Object>> open(UUID reader, Positions.After resumeFrom) {
		if (open.incrementAndGet() > properties.maxConnections()) {
			open.decrementAndGet();
			throw Refused.busy("Too many live feeds on this server, try again shortly.", Duration.ofSeconds(5));
		}
		Connection connection = new Connection(reader);
		boolean[] added = { false };
		byReader.compute(reader, (id, connections) -> {
			Set<Connection> set = connections != null ? connections : ConcurrentHashMap.newKeySet();
			if (set.size() < properties.maxConnectionsPerUser()) {
				set.add(connection);
				added[0] = true;
			}
			return set.isEmpty() ? null : set;
		});
		if (!added[0]) {
			open.decrementAndGet();
			throw Refused.tooMany("You have too many live feeds open; close one first.", Duration.ofSeconds(10));
		}
		return connection.events(resumeFrom).doFinally(signal -> close(connection));
	}

	int openConnections() {
		return open.get();
	}

	private void close(Connection connection) {
		byReader.computeIfPresent(connection.reader, (id, set) -> {
			set.remove(connection);
			return set.isEmpty() ? null : set;
		});
		open.decrementAndGet();
	}

	/** Runs a stream's own read among the bounded few; the result comes back to that stream. */
	private <T> Mono<T> read(Mono<T> query) {
		return Mono.create(sink -> {
			Mono<Void> task = query.doOnNext(sink::success).doOnError(sink::error).then().doOnSuccess(v -> sink.success());
			synchronized (reads) {
				if (reads.tryEmitNext(task).isFailure()) {
					sink.error(new IllegalStateException("Stream reads are not running"));
				}
			}
		});
	}

	/** Remembers a hint until the next dispatch; hints meanwhile make one dispatch. */
	private void hinted(NewAction action) {
		pendingTx.accumulateAndGet(action.tx(), Math::max);
		wakeDispatch();
	}

	private void wakeDispatch() {
		synchronized (dispatches) {
			dispatches.tryEmitNext(Boolean.TRUE);
		}
	}

	/**
	 * Actions were committed: once the hinted transactions are below the horizon, reads everything
	 * committed since the last dispatch and hands each stream the rows its feed shows.
	 */
	private Mono<Void> dispatch() {
		long newest = pendingTx.getAndSet(0);
		if (byReader.isEmpty()) {
			shared = 0;
			return Mono.empty();
		}
		return visible(newest).flatMap(until -> {
			long from = shared;
			if (until <= from) {
				return Mono.empty();
			}
			shared = until;
			List<Connection> connections = byReader.values().stream().flatMap(Set::stream).toList();
			if (from == 0) { // nothing shared yet: every stream reads up to here for itself
				connections.forEach(connection -> connection.readUpTo(until));
				return Mono.empty();
			}
			sharedReads.increment();
			return queries.committed(from, until, SHARED_ROWS + 1).flatMap(items -> {
				if (items.size() > SHARED_ROWS) {
					connections.forEach(connection -> connection.readUpTo(until));
					return Mono.empty();
				}
				if (items.isEmpty()) {
					connections.forEach(connection -> connection.deliver(new Batch(from, until, List.of())));
					return Mono.empty();
				}
				Set<UUID> actors = new HashSet<>();
				items.forEach(item -> actors.add(item.view().actor().id()));
				Set<UUID> readers = new HashSet<>();
				connections.forEach(connection -> readers.add(connection.reader));
				return queries.followedAmong(readers, actors).doOnNext(followed -> {
					Map<UUID, Batch> batches = new HashMap<>();
					for (Connection connection : connections) {
						connection.deliver(batches.computeIfAbsent(connection.reader,
								reader -> new Batch(from, until, shown(reader, followed.get(reader), items))));
					}
				}).then();
			}).onErrorResume(error -> {
				// The streams read for themselves; the next dispatch shares again from here.
				connections.forEach(connection -> connection.readUpTo(until));
				return Mono.error(error);
			});
		});
	}

	/** The items a reader's feed shows: of the actors they follow, or everyone's when they follow nobody; never their own. */
	private static List<FeedQueries.Item> shown(UUID reader, Set<UUID> followed, List<FeedQueries.Item> items) {
		if (followed == null) {
			return List.of();
		}
		boolean everyone = followed.contains(FeedQueries.EVERYONE);
		List<FeedQueries.Item> shown = new ArrayList<>();
		for (FeedQueries.Item item : items) {
			UUID actor = item.view().actor().id();
			if (!actor.equals(reader) && (everyone || followed.contains(actor))) {
				shown.add(item);
			}
		}
		return shown;
	}

	/**
	 * The horizon once the transaction has left it (polled every 10 ms, for at most 5 s; then the
	 * horizon as it is: what is not below it yet comes with a later dispatch).
	 */
	private Mono<Long> visible(long tx) {
		return Flux.interval(Duration.ZERO, Duration.ofMillis(10))
			.onBackpressureDrop()
			.concatMap(tick -> queries.horizon(), 1)
			.filter(horizon -> horizon > tx)
			.next()
			.timeout(Duration.ofSeconds(5), queries.horizon());
	}

	@Override
	public void start() {
		Disposable readLoop = reads.asFlux().flatMap(task -> task.onErrorResume(error -> Mono.empty()), CONCURRENT_READS)
			.subscribe();
		// One dispatch at a time, at most every 50 ms; hints meanwhile make one.
		Disposable dispatching = dispatches.asFlux()
			.onBackpressureLatest()
			.concatMap(wake -> dispatch().onErrorResume(error -> {
				log.warn("Could not dispatch new actions to live feeds: " + error);
				return Mono.empty();
			}).then(Mono.delay(BATCH)), 1)
			.subscribe();
		Disposable hints = Flux.defer(() -> {
			// Subscribed (again): hints may have been missed meanwhile; a dispatch shares what was committed.
			wakeDispatch();
			return channel.announcements();
		})
			.doOnNext(this::hinted)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500))
				.maxBackoff(Duration.ofSeconds(10))
				.doBeforeRetry(signal -> log.warn("New-action channel failed, subscribing again: " + signal.failure())))
			.subscribe();
		running = () -> {
			hints.dispose();
			dispatching.dispose();
			readLoop.dispose();
		};
	}

	@Override
	public void stop() {
		Disposable current = running;
		running = null;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return running != null;
	}

	/** A dispatch's share for one reader: their feed's actions of the transactions in {@code [from, until)}. */
	private record Batch(long from, long until, List<FeedQueries.Item> items) {
	}

	/**
	 * One open stream: its reader, what it has sent, and the work handed to it. Its work runs one
	 * piece at a time; wake-ups meanwhile coalesce.
	 */
	private final class Connection {

		private final UUID reader;

		private final Sinks.Many<Boolean> wakes = Sinks.many().unicast().onBackpressureBuffer();

		/** Shared batches not yet taken, and a horizon to read up to by itself (0: none); guarded by this. */
		private final ArrayDeque<Batch> queue = new ArrayDeque<>();

		private long readUntil;

		/** The last action sent, and below which transaction every action of the feed has been sent; guarded by this. */
		private Positions.After position;

		private long covered;

		Connection(UUID reader) {
			this.reader = reader;
		}

		/**
		 * Takes a dispatch's batch. An empty one only moves a stream in step onwards; a full queue (the
		 * client does not read) is dropped for one read of its own later.
		 */
		void deliver(Batch batch) {
			synchronized (this) {
				if (position == null) {
					// Not started: its start horizon is still being read. If that horizon is below this batch's end,
					// the next batch starts above what the stream covers, and the stream reads the gap for itself.
					return;
				}
				if (batch.items().isEmpty() && queue.isEmpty() && readUntil == 0 && batch.from() <= covered) {
					covered = Math.max(covered, batch.until());
					return;
				}
				if (queue.size() >= QUEUED) {
					queue.clear();
					readUntil = Math.max(readUntil, batch.until());
				}
				else {
					queue.add(batch);
				}
			}
			wake();
		}

		/** Reads the feed by itself up to this horizon. */
		void readUpTo(long until) {
			synchronized (this) {
				if (position == null) {
					return;
				}
				readUntil = Math.max(readUntil, until);
			}
			wake();
		}

		private void wake() {
			synchronized (wakes) {
				wakes.tryEmitNext(Boolean.TRUE);
			}
		}

		Flux<ServerSentEvent<Object>> events(Positions.After resumeFrom) {
			Mono<Long> start = queries.horizon().doOnNext(horizon -> {
				synchronized (this) {
					if (resumeFrom != null) { // what was missed first: a read up to now
						position = resumeFrom;
						covered = resumeFrom.tx();
						readUntil = horizon;
					}
					else {
						position = new Positions.After(horizon - 1, LAST_ID);
						covered = horizon;
					}
				}
			});
			return start.flatMapMany(horizon -> {
				wake();
				Flux<ServerSentEvent<Object>> actions = wakes.asFlux().onBackpressureLatest().concatMap(wake -> work(), 1);
				Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(properties.heartbeat())
					.map(tick -> ServerSentEvent.builder().comment("keep-alive").build());
				return Flux.concat(Flux.just(ServerSentEvent.builder().comment("connected").build()),
						Flux.merge(actions, heartbeats));
			});
		}

		/**
		 * The batches handed over, in order, while the stream is in step (each starts at or below what it has
		 * covered); at the first gap, or when asked, one read of its own up to the newest horizon known.
		 */
		private Flux<ServerSentEvent<Object>> work() {
			List<ServerSentEvent<Object>> sent = new ArrayList<>();
			long until;
			synchronized (this) {
				until = readUntil > covered ? readUntil : 0;
				readUntil = 0;
				for (Batch batch = queue.poll(); batch != null; batch = queue.poll()) {
					if (until != 0 || batch.from() > covered) {
						until = Math.max(until, batch.until());
					}
					else if (batch.until() > covered) {
						for (FeedQueries.Item item : batch.items()) {
							if (item.tx() >= covered) { // below it, sent already
								position = item.after();
								sent.add(event(item));
							}
						}
						covered = batch.until();
					}
				}
			}
			Flux<ServerSentEvent<Object>> shared = Flux.fromIterable(sent);
			return until == 0 ? shared
					: shared.concatWith(catchUp(until)).concatWith(Mono.delay(PAUSE).thenMany(Flux.empty()));
		}

		/** Everything of this reader's feed after the position and below the horizon, page by page; a failure waits for the next gap. */
		private Flux<ServerSentEvent<Object>> catchUp(long until) {
			Positions.After from;
			synchronized (this) {
				from = position;
			}
			return ownRead(from, until)
				.expand(page -> page.size() < PAGE ? Mono.empty() : ownRead(page.get(page.size() - 1).after(), until))
				.concatMapIterable(page -> page)
				.map(item -> {
					synchronized (this) {
						position = item.after();
					}
					return event(item);
				})
				.concatWith(Mono.fromRunnable(() -> {
					synchronized (this) {
						covered = Math.max(covered, until);
					}
				}))
				.onErrorResume(error -> {
					log.warn("Live feed of " + reader + " could not read on: " + error);
					return Flux.empty();
				});
		}

		private Mono<List<FeedQueries.Item>> ownRead(Positions.After from, long until) {
			return read(Mono.defer(() -> {
				ownReads.increment();
				return queries.after(reader, from, until, PAGE);
			}));
		}

		private ServerSentEvent<Object> event(FeedQueries.Item item) {
			return ServerSentEvent.<Object>builder(item.view()).id(item.after().eventId()).event("action").build();
		}

	}

}
