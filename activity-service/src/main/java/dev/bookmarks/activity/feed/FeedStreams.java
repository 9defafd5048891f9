package dev.bookmarks.activity.feed;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bookmarks.activity.action.NewAction;
import dev.bookmarks.activity.action.NewActionsChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * The live feeds open on this instance. Every instance hears of new actions on the shared channel
 * (never from another instance's memory), works out which of its connected readers they concern,
 * and each of those streams reads its feed onwards from the last action it sent, in commit order.
 * Since a stream always reads from its own position, a resumed stream (Last-Event-ID) first gets
 * what it missed, and nothing is sent twice or skipped.
 *
 * <p>Bounded: connections per instance (503) and per person (429); reads for streams run at most
 * {@value #CONCURRENT_READS} at a time, and each stream has at most one read running and one
 * waiting, at most ten a second, whatever the rate of new actions.
 */
@Component
class FeedStreams implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(FeedStreams.class);

	static final int PAGE = 100;

	static final int CONCURRENT_READS = 8;

	/** Between two reads of one stream: wake-ups meanwhile make one read, so a busy feed costs at most 10 reads a second. */
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

	/** Actors of hints not yet dispatched, and the newest transaction among them. */
	private final Set<UUID> pending = new HashSet<>();

	private long pendingTx;

	private final Sinks.Many<Boolean> dispatches = Sinks.many().unicast().onBackpressureBuffer();

	private volatile Disposable running;

	FeedStreams(FeedQueries queries, NewActionsChannel channel, FeedProperties.Stream properties) {
		this.queries = queries;
		this.channel = channel;
		this.properties = properties;
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

	/** Runs a stream's read among the bounded few; the result comes back to that stream. */
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

	/** Remembers a hint until the next dispatch; hints meanwhile merge into one set of actors. */
	private void hinted(NewAction action) {
		synchronized (pending) {
			pending.add(action.actorId());
			pendingTx = Math.max(pendingTx, action.tx());
		}
		synchronized (dispatches) {
			dispatches.tryEmitNext(Boolean.TRUE);
		}
	}

	/** New actions of the pending actors were committed; pokes the streams whose feed shows any of them. */
	private Mono<Void> dispatch() {
		Set<UUID> actors;
		long newest;
		synchronized (pending) {
			actors = new HashSet<>(pending);
			newest = pendingTx;
			pending.clear();
		}
		Set<UUID> readers = new HashSet<>(byReader.keySet());
		if (readers.isEmpty() || actors.isEmpty()) {
			return Mono.empty();
		}
		return visible(newest).then(queries.readersOf(readers, actors)).doOnNext(concerned -> {
			for (UUID reader : concerned) {
				byReader.getOrDefault(reader, Set.of()).forEach(Connection::poke);
			}
		}).then();
	}

	/** Waits (up to 5 s) until the transaction has left the horizon, so that the streams' reads see it. */
	private Mono<Void> visible(long tx) {
		return Flux.interval(Duration.ZERO, Duration.ofMillis(10))
			.onBackpressureDrop()
			.concatMap(tick -> queries.horizon(), 1)
			.filter(horizon -> horizon > tx)
			.next()
			.timeout(Duration.ofSeconds(5), Mono.empty())
			.then();
	}

	@Override
	public void start() {
		Disposable readLoop = reads.asFlux().flatMap(task -> task.onErrorResume(error -> Mono.empty()), CONCURRENT_READS)
			.subscribe();
		// Hints only gather actors; one dispatch at a time reads who sees them, at most every 50 ms.
		Disposable dispatching = dispatches.asFlux()
			.onBackpressureLatest()
			.concatMap(wake -> dispatch().onErrorResume(error -> {
				log.warn("Could not dispatch new actions to live feeds: " + error);
				return Mono.empty();
			}).then(Mono.delay(BATCH)), 1)
			.subscribe();
		Disposable hints = Flux.defer(() -> {
			// Subscribed (again): hints may have been missed meanwhile, so every stream reads once.
			byReader.values().forEach(set -> set.forEach(Connection::poke));
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

	/** One open stream: its reader, its position, and a wake-up signal that coalesces. */
	private final class Connection {

		private final UUID reader;

		private final Sinks.Many<Boolean> pokes = Sinks.many().unicast().onBackpressureBuffer();

		private volatile Positions.After position;

		Connection(UUID reader) {
			this.reader = reader;
		}

		void poke() {
			synchronized (this) {
				pokes.tryEmitNext(Boolean.TRUE);
			}
		}

		Flux<ServerSentEvent<Object>> events(Positions.After resumeFrom) {
			Mono<Positions.After> start = resumeFrom != null ? Mono.just(resumeFrom)
					: queries.horizon().map(horizon -> new Positions.After(horizon - 1, LAST_ID));
			return start.flatMapMany(from -> {
				position = from;
				poke();
				Flux<ServerSentEvent<Object>> actions = pokes.asFlux()
					.onBackpressureLatest()
					.concatMap(wake -> catchUp().concatWith(Mono.delay(PAUSE).thenMany(Flux.empty())), 1);
				Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(properties.heartbeat())
					.map(tick -> ServerSentEvent.builder().comment("keep-alive").build());
				return Flux.concat(Flux.just(ServerSentEvent.builder().comment("connected").build()),
						Flux.merge(actions, heartbeats));
			});
		}

		/** Everything of this reader's feed after the position, page by page; a failure waits for the next poke. */
		private Flux<ServerSentEvent<Object>> catchUp() {
			return read(queries.after(reader, position, PAGE))
				.expand(page -> page.size() < PAGE ? Mono.empty()
						: read(queries.after(reader, page.get(page.size() - 1).after(), PAGE)))
				.concatMapIterable(page -> page)
				.map(item -> {
					position = item.after();
					return ServerSentEvent.<Object>builder(item.view())
						.id(item.after().eventId())
						.event("action")
						.build();
				})
				.onErrorResume(error -> {
					log.warn("Live feed of " + reader + " could not read on: " + error);
					return Flux.empty();
				});
		}

	}

}
