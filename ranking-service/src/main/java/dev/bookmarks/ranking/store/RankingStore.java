package dev.bookmarks.ranking.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.bookmarks.ranking.RankingProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.DigestUtils;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;

/**
 * The rankings in Redis. Every change is one Lua script run (EVALSHA) that decides whether it was
 * applied before and applies the effect atomically: views by their partition's offset watermark
 * (no key per view, they are many), the other image events by their dedupe key (they are few,
 * and the outbox may publish one twice). Every read is one script run too, so a page and its
 * display data come from one consistent moment.
 *
 * <p>Days are UTC days of the event's own time (when the image was viewed or liked), not of its
 * arrival; "today" and "the week" are decided by the {@link Clock}.
 */
@Component
public class RankingStore {

	/** Target of the live consumers: the serving generation, and the one being rebuilt, if any. */
	public static final String LIVE = "";

	private static final RedisScript<Long> APPLY = script("apply-event.lua", Long.class);

	private static final RedisScript<Long> APPLY_VIEWS = script("apply-views.lua", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> RANKING = script("ranking.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> STATS = script("image-stats.lua", List.class);

	private static final RedisScript<String> SWAP = script("swap-generation.lua", String.class);

	private static final RedisScript<Long> RENEW = script("renew-lease.lua", Long.class);

	private static final RedisScript<Long> ABANDON = new LoadedScript<>("""
			if redis.call('GET', ARGV[1] .. ':building') == ARGV[2] then
			  return redis.call('DEL', ARGV[1] .. ':building')
			end
			return 0""", Long.class);

	/** How long after its day a day's viewers are still kept. */
	static final Duration VIEWERS_GRACE = Duration.ofHours(1);

	private final ReactiveStringRedisTemplate redis;

	private final RankingProperties properties;

	private final Clock clock;

	private final String prefix;

	RankingStore(ReactiveStringRedisTemplate redis, RankingProperties properties, Clock clock) {
		this.redis = redis;
		this.properties = properties;
		this.clock = clock;
		this.prefix = properties.keyPrefix();
	}

	/**
	 * The script's text is read once, here: a script backed by a resource would check the file
	 * for changes on every run, a blocking call on Lettuce's event loop.
	 */
	private static <T> RedisScript<T> script(String name, Class<T> type) {
		try (var in = new ClassPathResource("scripts/" + name).getInputStream()) {
			return new LoadedScript<>(StreamUtils.copyToString(in, StandardCharsets.UTF_8), type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the Lua script " + name, ex);
		}
	}

	/**
	 * A script whose SHA-1 is computed once. {@code RedisScript.of} takes a lock on every
	 * {@code getSha1()}; with scripts run from several threads at once (a poll's partitions side by
	 * side, views beside image events) an event loop could wait for it.
	 */
	private record LoadedScript<T>(String text, Class<T> type, String sha1) implements RedisScript<T> {

		LoadedScript(String text, Class<T> type) {
			this(text, type, DigestUtils.sha1DigestAsHex(text));
		}

		@Override
		public String getSha1() {
			return sha1;
		}

		@Override
		public Class<T> getResultType() {
			return type;
		}

		@Override
		public String getScriptAsString() {
			return text;
		}

	}

	// ---- changes: each returns how many generations the event was applied to (0 = seen before)

	/**
	 * Counts views of one partition of the views topic, given in offset order, in one atomic
	 * script run: only those above the partition's offset watermark in each generation written,
	 * which then moves to the last of them (apply-views.lua). No key is kept per view.
	 * @param topic the topic and partition the views were read from
	 * @return the views applied, summed over the generations written; 0 when all were applied before
	 */
	public Mono<Long> views(String target, String topic, int partition, List<View> views) {
		if (views.isEmpty()) {
			return Mono.just(0L);
		}
		List<String> args = new ArrayList<>(3 + 6 * views.size());
		args.addAll(List.of(prefix, target, topic + ":" + partition));
		long previous = -1;
		for (View view : views) {
			if (view.offset() <= previous) {
				throw new IllegalArgumentException("Views must be in ascending offset order: " + view.offset()
						+ " after " + previous);
			}
			previous = view.offset();
			LocalDate day = day(view.viewedAt());
			args.add(Long.toString(view.offset()));
			args.add(view.imageId().toString());
			args.add(day.toString());
			args.add(Long.toString(dayKeyTtl(day)));
			args.add(Long.toString(viewersTtl(day)));
			args.add(view.viewerId() != null ? view.viewerId().toString() : "");
		}
		return redis.execute(APPLY_VIEWS, List.of(), args).single();
	}

	public Mono<Long> likes(String target, UUID eventId, UUID imageId, long likeCount, Instant at) {
		LocalDate day = day(at);
		return apply(target, eventId, "like", imageId, Long.toString(Math.max(0, likeCount)), micros(at),
				day.toString(), Long.toString(dayKeyTtl(day)));
	}

	public Mono<Long> display(String target, UUID eventId, UUID imageId, String title, String thumbnailUrl,
			Instant at) {
		return apply(target, eventId, "display", imageId, title != null ? title : "",
				thumbnailUrl != null ? thumbnailUrl : "", micros(at));
	}

	public Mono<Long> deleted(String target, UUID eventId, UUID imageId, Instant deletedAt) {
		Instant now = clock.instant();
		long tombstone = properties.tombstoneRetention().minus(Duration.between(deletedAt, now)).toSeconds();
		List<String> args = new ArrayList<>(List.of(Long.toString(Math.max(0, tombstone)), today().toString()));
		// every day key that can still exist, and tomorrow's (a producer's clock may run ahead)
		LocalDate tomorrow = today().plusDays(1);
		for (LocalDate day = tomorrow; !day.isBefore(tomorrow.minusDays(properties.dayRetention().toDays() + 2));
				day = day.minusDays(1)) {
			args.add(day.toString());
		}
		return apply(target, eventId, "delete", imageId, args.toArray(String[]::new));
	}

	private Mono<Long> apply(String target, UUID eventId, String op, UUID imageId, String... rest) {
		List<String> args = new ArrayList<>(6 + rest.length);
		args.addAll(List.of(prefix, target, eventId.toString(), Long.toString(properties.dedupeWindow().toSeconds()),
				op, imageId.toString()));
		args.addAll(List.of(rest));
		return redis.execute(APPLY, List.of(), args).single();
	}

	// ---- reads

	public Mono<List<RankedImage>> ranking(RankingOrder order, RankingWindow window, int limit) {
		LocalDate today = today();
		List<String> args = new ArrayList<>();
		args.add(prefix);
		args.add(switch (window) {
			case ALL -> order.key();
			case DAY -> order.key() + ":" + today;
			case WEEK -> order.key() + ":week:" + today;
		});
		args.add(Integer.toString(limit));
		args.add(Long.toString(properties.windowCacheTtl().toMillis()));
		if (window == RankingWindow.WEEK) {
			for (int back = 0; back < window.days(); back++) {
				args.add(order.key() + ":" + today.minusDays(back));
			}
		}
		return strings(RANKING, args).map(flat -> {
			List<RankedImage> page = new ArrayList<>(flat.size() / 4);
			for (int i = 0; i + 3 < flat.size(); i += 4) {
				page.add(new RankedImage(page.size() + 1, UUID.fromString(flat.get(i)), orNull(flat.get(i + 2)),
						orNull(flat.get(i + 3)), Math.round(Double.parseDouble(flat.get(i + 1)))));
			}
			return page;
		});
	}

	/** The image's counters; empty for an image never seen, or deleted. */
	public Mono<ImageStats> stats(UUID imageId) {
		return strings(STATS, List.of(prefix, imageId.toString(), today().toString()))
			.filter(values -> values.size() == 4)
			.map(values -> new ImageStats(imageId, Math.round(Double.parseDouble(values.get(0))),
					Math.round(Double.parseDouble(values.get(1))), Math.round(Double.parseDouble(values.get(2))),
					Long.parseLong(values.get(3))));
	}

	@SuppressWarnings("rawtypes")
	private Mono<List<String>> strings(RedisScript<List> script, List<String> args) {
		// A multi-bulk reply may arrive as one list or element by element, depending on the driver.
		return redis.execute(script, List.of(), args).collectList().map(replies -> {
			List<String> values = new ArrayList<>();
			for (Object reply : replies) {
				if (reply instanceof List<?> list) {
					list.forEach(value -> values.add(value != null ? value.toString() : ""));
				}
				else {
					values.add(reply != null ? reply.toString() : "");
				}
			}
			return values;
		});
	}

	// ---- generations

	public Mono<Generations> generations() {
		return redis.opsForValue()
			.multiGet(List.of(prefix + ":serving", prefix + ":building"))
			.map(values -> new Generations(Optional.ofNullable(values.get(0)).orElse("0"), values.get(1)));
	}

	/** Takes the rebuild lease for a new generation; empty if a rebuild already holds it. */
	public Mono<String> beginRebuild() {
		return redis.opsForValue()
			.increment(prefix + ":generations")
			.map(String::valueOf)
			.flatMap(generation -> redis.opsForValue()
				.setIfAbsent(prefix + ":building", generation, properties.rebuildLease())
				.filter(Boolean::booleanValue)
				.map(taken -> generation));
	}

	/** False once the lease is lost: the rebuild must stop. */
	public Mono<Boolean> renewLease(String generation) {
		return redis
			.execute(RENEW, List.of(), List.of(prefix, generation, Long.toString(properties.rebuildLease().toMillis())))
			.single()
			.map(renewed -> renewed == 1);
	}

	/** Serves the rebuilt generation; returns the one it replaced, or empty if the lease was lost. */
	public Mono<String> swap(String generation) {
		return redis.execute(SWAP, List.of(), List.of(prefix, generation)).single().filter(previous -> !previous.isEmpty());
	}

	/** Gives up a rebuild's lease at once (after a failure), so that live writes stop feeding it. */
	public Mono<Boolean> abandon(String generation) {
		return redis.execute(ABANDON, List.of(), List.of(prefix, generation)).single().map(deleted -> deleted == 1);
	}

	/** Deletes the keys of every generation that neither serves nor is being rebuilt; returns how many. */
	public Mono<Long> dropStaleGenerations() {
		String generationsStart = prefix + ":g";
		return generations().flatMap(current -> redis
			.scan(ScanOptions.scanOptions().match(generationsStart + "*").count(1000).build())
			.filter(key -> {
				int end = key.indexOf(':', generationsStart.length());
				String generation = end < 0 ? "" : key.substring(generationsStart.length(), end);
				return !generation.equals(current.serving()) && !generation.equals(current.rebuilding());
			})
			.buffer(500)
			.concatMap(keys -> redis.unlink(Flux.fromIterable(keys)))
			.reduce(0L, Long::sum));
	}

	// ---- time

	LocalDate today() {
		return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
	}

	private static LocalDate day(Instant at) {
		return LocalDate.ofInstant(at, ZoneOffset.UTC);
	}

	/**
	 * Seconds a day's keys are kept: until the retention after the day ended, reckoned by this
	 * clock, the one that decides which day is today (an expiry as a point in time would be
	 * reckoned by Redis's clock); 0 when that has passed already.
	 */
	private long dayKeyTtl(LocalDate day) {
		Instant expiry = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(properties.dayRetention());
		return Math.max(0, Duration.between(clock.instant(), expiry).toSeconds());
	}

	/**
	 * Seconds a day's viewer HyperLogLogs are kept: until an hour after the day ended (by this
	 * clock: instances and Redis may disagree a little), 0 once that has passed. Only today's are
	 * ever read (unique viewers today), and at up to 14 KB each they are most of the memory the
	 * views take; keeping them for the day retention would multiply it by 9 for nothing.
	 */
	private long viewersTtl(LocalDate day) {
		Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(VIEWERS_GRACE);
		return Math.max(0, Duration.between(clock.instant(), end).toSeconds());
	}

	private static String micros(Instant at) {
		return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, at));
	}

	private static String orNull(String value) {
		return value == null || value.isEmpty() ? null : value;
	}

}
