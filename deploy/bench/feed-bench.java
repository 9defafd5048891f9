// Helper of deploy/bench/feed.sh, compiled by it (as FeedBench.java) and run on activity-service's own libraries;
// by hand it also runs as a single-file program:
//   java -cp '<libs>/*' feed-bench.java tokens <jwk-file> <issuer> <ids-file> <lua-out>
//       access tokens signed with auth-service's key for the given user ids, as a wrk Lua table
//   java -cp '<libs>/*' feed-bench.java lag <kafka> <origin> <jwk-file> <issuer> <events/s> <seconds> <readers>
//       [publishers]
//       publishes ImageBookmarked envelopes to Kafka (as the outbox relay would) at a steady rate, round robin from
//       <publishers> people (default 50), of whom the readers follow 50, and measures the lag from each publication
//       by a followed person to the action in a reader's feed (polled through the gateway) and on its open SSE
//       stream (through the gateway); prints p50/p99/max. With 50 publishers every reader's stream carries every
//       event (the worst case); with 1000, a twentieth of them.
//   java -cp '<libs>/*' feed-bench.java backlog <kafka> <count>
//       publishes that many ImageBookmarked envelopes as fast as Kafka takes them (apply-rate measurement)
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

public class FeedBench {

	/** How often the lag run reads the polled reader's feed. */
	static final long POLL_MILLIS = 50;

	/**
	 * Seconds of a lag run published at the rate but not counted: the run's own start (a new producer, streams just
	 * opened, the readers' follows just applied) is not the steady rate the measurement is about. Reported apart.
	 */
	static final int LEAD_IN_SECONDS = 3;

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "tokens" -> tokens(Path.of(args[1]), args[2], Path.of(args[3]), Path.of(args[4]));
			case "lag" -> lag(args[1], args[2], Path.of(args[3]), args[4], Integer.parseInt(args[5]),
					Integer.parseInt(args[6]), Integer.parseInt(args[7]), args.length > 8 ? Integer.parseInt(args[8]) : 50);
			case "backlog" -> backlog(args[1], Integer.parseInt(args[2]));
			default -> throw new IllegalArgumentException(args[0]);
		}
	}

	static String token(RSAKey key, String issuer, String userId) throws Exception {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer)
			.subject(userId)
			.audience(List.of("bookmarks-api"))
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now.minusSeconds(5)))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(15))))
			.claim("username", "bench-" + userId.substring(0, 8))
			.claim("roles", List.of("USER"))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	static void tokens(Path jwk, String issuer, Path ids, Path out) throws Exception {
		RSAKey key = RSAKey.parse(Files.readString(jwk));
		StringBuilder lua = new StringBuilder("tokens = {\n");
		for (String id : Files.readAllLines(ids)) {
			if (!id.isBlank()) {
				lua.append("\"").append(token(key, issuer, id.trim())).append("\",\n");
			}
		}
		Files.writeString(out, lua.append("}\n").toString());
	}

	static void lag(String kafka, String origin, Path jwk, String issuer, int rate, int seconds, int readerCount,
			int publisherCount) throws Exception {
		RSAKey key = RSAKey.parse(Files.readString(jwk));
		List<UUID> actors = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			actors.add(UUID.randomUUID());
		}
		List<UUID> publishers = new ArrayList<>(actors);
		while (publishers.size() < publisherCount) {
			publishers.add(UUID.randomUUID());
		}
		AtomicLong followedSent = new AtomicLong();
		List<UUID> readers = new ArrayList<>();
		for (int i = 0; i < readerCount; i++) {
			readers.add(UUID.randomUUID());
		}
		KafkaProducer<String, String> producer = producer(kafka);
		// The producer learns the topic's partitions now: on the first send it would wait for them, and the first
		// measured events would carry this one-time wait of the client (a relay's producer has them long since).
		producer.partitionsFor("bookmarks.image-events");
		Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
		for (UUID reader : readers) {
			for (UUID actor : actors) {
				String payload = "{\"followerId\":\"%s\",\"followerUsername\":\"r-%s\",\"followeeId\":\"%s\",\"followeeUsername\":\"a-%s\",\"followedAt\":\"%s\"}"
					.formatted(reader, reader.toString().substring(0, 8), actor, actor.toString().substring(0, 8), start);
				producer.send(new ProducerRecord<>("bookmarks.follow-events", reader.toString(),
						envelope("UserFollowed", reader.toString(), payload)));
			}
		}
		producer.flush();
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		String probeToken = token(key, issuer, readers.get(0).toString());
		for (int attempt = 0; attempt < 600; attempt++) { // until the edges are in: the feed is no longer everyone's
			HttpResponse<String> feed = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/feed?limit=1"))
				.header("Authorization", "Bearer " + probeToken).build(), HttpResponse.BodyHandlers.ofString());
			if (feed.statusCode() == 200 && feed.body().contains("\"items\":[]")) {
				break;
			}
			Thread.sleep(100);
		}

		Map<String, Long> sentAt = new ConcurrentHashMap<>();
		// Each sample is {publication time, lag}, both in nanoseconds: the report also shows when the slow ones were sent.
		List<long[]> streamLags = Collections.synchronizedList(new ArrayList<>());
		List<long[]> feedLags = Collections.synchronizedList(new ArrayList<>());
		AtomicBoolean running = new AtomicBoolean(true);
		Pattern title = Pattern.compile("\"title\":\"lag ([0-9a-f-]{36})\"");
		List<Thread> threads = new ArrayList<>();
		for (UUID reader : readers) {
			String token = token(key, issuer, reader.toString());
			HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/feed/stream"))
				.header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).build(),
					HttpResponse.BodyHandlers.ofInputStream());
			if (stream.statusCode() != 200) {
				throw new IllegalStateException("stream answered " + stream.statusCode());
			}
			Thread thread = new Thread(() -> {
				try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
					for (String line = lines.readLine(); line != null && running.get(); line = lines.readLine()) {
						if (line.startsWith("data:")) {
							long now = System.nanoTime();
							Matcher found = title.matcher(line);
							if (found.find()) {
								Long sent = sentAt.get(found.group(1));
								if (sent != null) {
									streamLags.add(new long[] { sent, now - sent });
								}
							}
						}
					}
				}
				catch (Exception ex) {
					// stream closed
				}
			});
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		// One reader's feed, polled through the gateway every POLL_MILLIS: when each action first shows (an upper
		// bound, at most one interval late). Back to back, the poller alone was a closed-loop load of a few hundred
		// reads a second that competed with the very event processing it measured.
		String pollToken = token(key, issuer, readers.get(0).toString());
		Set<String> seen = ConcurrentHashMap.newKeySet();
		Thread poller = new Thread(() -> {
			long next = System.nanoTime();
			while (running.get()) {
				try {
					next += POLL_MILLIS * 1_000_000L;
					long wait = next - System.nanoTime();
					if (wait > 0) {
						Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
					}
					HttpResponse<String> feed = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/feed?limit=100"))
						.header("Authorization", "Bearer " + pollToken).build(), HttpResponse.BodyHandlers.ofString());
					long now = System.nanoTime();
					Matcher found = title.matcher(feed.body());
					while (found.find()) {
						Long sent = sentAt.get(found.group(1));
						if (sent != null && seen.add(found.group(1))) {
							feedLags.add(new long[] { sent, now - sent });
						}
					}
				}
				catch (Exception ex) {
					// next poll
				}
			}
		});
		poller.setDaemon(true);
		poller.start();
		Thread.sleep(1000);

		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
		AtomicLong sent = new AtomicLong();
		int perTick = Math.max(1, rate / 100);
		long firstSent = System.nanoTime();
		long measuredFrom = firstSent + LEAD_IN_SECONDS * 1_000_000_000L;
		AtomicLong leadInFollowedSent = new AtomicLong();
		ticker.scheduleAtFixedRate(() -> {
			for (int i = 0; i < perTick; i++) {
				long n = sent.incrementAndGet();
				UUID image = UUID.randomUUID();
				UUID actor = publishers.get((int) (n % publishers.size()));
				Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
				String payload = "{\"imageId\":\"%s\",\"ownerId\":\"%s\",\"ownerUsername\":\"a-%s\",\"title\":\"lag %s\",\"slug\":\"lag\",\"thumbnailUrl\":null,\"createdAt\":\"%s\"}"
					.formatted(image, actor, actor.toString().substring(0, 8), image, now);
				if (n % publishers.size() < actors.size()) {
					long sentNanos = System.nanoTime();
					(sentNanos < measuredFrom ? leadInFollowedSent : followedSent).incrementAndGet();
					sentAt.put(image.toString(), sentNanos);
				}
				producer.send(new ProducerRecord<>("bookmarks.image-events", image.toString(),
						envelope("ImageBookmarked", image.toString(), payload)));
			}
		}, 0, 10, TimeUnit.MILLISECONDS);
		Thread.sleep((LEAD_IN_SECONDS + seconds) * 1000L);
		ticker.shutdownNow();
		producer.flush();
		Thread.sleep(5000);
		running.set(false);
		producer.close();

		System.out.printf("published %d ImageBookmarked events in %d s (%d/s target; the first %d s not counted) by %d"
				+ " people, %d of them counted (by the 50 followed) to each of %d readers%n", sent.get(),
				LEAD_IN_SECONDS + seconds, rate, LEAD_IN_SECONDS, publishers.size(), followedSent.get(), readerCount);
		report("publication -> action on an open SSE stream (gateway)", streamLags, followedSent.get() * readerCount,
				leadInFollowedSent.get() * readerCount, measuredFrom);
		report("publication -> action in GET /api/feed (gateway, polled every " + POLL_MILLIS + " ms)", feedLags,
				followedSent.get(), leadInFollowedSent.get(), measuredFrom);
		System.exit(0);
	}

	/**
	 * Publishes this many ImageBookmarked events (50 actors, a new image each) as fast as Kafka takes
	 * them: a backlog that shows how many events a second activity-service applies when it never
	 * waits for input (count processed_event rows over time).
	 */
	static void backlog(String kafka, int count) throws Exception {
		List<UUID> actors = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			actors.add(UUID.randomUUID());
		}
		long start = System.nanoTime();
		try (KafkaProducer<String, String> producer = producer(kafka)) {
			for (int n = 0; n < count; n++) {
				UUID image = UUID.randomUUID();
				UUID actor = actors.get(n % actors.size());
				String payload = "{\"imageId\":\"%s\",\"ownerId\":\"%s\",\"ownerUsername\":\"a-%s\",\"title\":\"backlog %s\",\"slug\":\"backlog\",\"thumbnailUrl\":null,\"createdAt\":\"%s\"}"
					.formatted(image, actor, actor.toString().substring(0, 8), image,
							Instant.now().truncatedTo(ChronoUnit.MICROS));
				producer.send(new ProducerRecord<>("bookmarks.image-events", image.toString(),
						envelope("ImageBookmarked", image.toString(), payload)));
			}
			producer.flush();
		}
		System.out.printf("published %d ImageBookmarked events in %.1f s%n", count, (System.nanoTime() - start) / 1e9);
	}

	/** A producer as the outbox relay is: acks from all replicas, small batches. */
	static KafkaProducer<String, String> producer(String kafka) {
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
		return new KafkaProducer<>(properties);
	}

	static String envelope(String type, String aggregateId, String payload) {
		return "{\"eventId\":\"%s\",\"type\":\"%s\",\"version\":1,\"occurredAt\":\"%s\",\"aggregateId\":\"%s\",\"payload\":%s}"
			.formatted(UUID.randomUUID(), type, Instant.now().truncatedTo(ChronoUnit.MICROS), aggregateId, payload);
	}

	/**
	 * Prints p50/p99/max of the lags of events sent from {@code measuredFrom} on, the seconds of the measured run
	 * whose events were slowest (whether the tail is spread over the run or a few stalls), and the lead-in's apart.
	 */
	static void report(String label, List<long[]> received, long expected, long leadInExpected, long measuredFrom) {
		List<long[]> samples = new ArrayList<>(received);
		Map<Boolean, List<long[]>> parts = samples.stream()
			.collect(Collectors.partitioningBy(sample -> sample[0] < measuredFrom));
		List<long[]> leadIn = parts.get(true);
		List<long[]> counted = parts.get(false);
		if (!leadIn.isEmpty()) {
			System.out.printf("%s, lead-in (not counted): %d of %d, %s%n", label, leadIn.size(), leadInExpected,
					summary(sortedLags(leadIn)));
		}
		if (counted.isEmpty()) {
			System.out.printf("%s: nothing received%n", label);
			return;
		}
		long[] lags = sortedLags(counted);
		long p99 = percentile(lags, 0.99);
		System.out.printf("%s: %d of %d, %s%n", label, lags.length, expected, summary(lags));
		Map<Long, Long> slowestBySecond = new TreeMap<>();
		for (long[] sample : counted) {
			slowestBySecond.merge((sample[0] - measuredFrom) / 1_000_000_000L, sample[1], Math::max);
		}
		long slowSeconds = slowestBySecond.values().stream().filter(slowest -> slowest >= p99).count();
		String slowest = slowestBySecond.entrySet().stream()
			.sorted(Map.Entry.<Long, Long>comparingByValue().reversed())
			.limit(5)
			.map(second -> "%ds %.0f".formatted(second.getKey(), second.getValue() / 1e6))
			.collect(Collectors.joining(", "));
		System.out.printf("  samples at or above p99 in %d of %d seconds; slowest seconds (max ms): %s; with the lead-in"
				+ " counted too, p99 %.1f ms%n", slowSeconds, slowestBySecond.size(), slowest,
				percentile(sortedLags(samples), 0.99) / 1e6);
	}

	private static long[] sortedLags(List<long[]> samples) {
		return samples.stream().mapToLong(sample -> sample[1]).sorted().toArray();
	}

	/** The lag at quantile {@code q} of lags sorted ascending (the median at 0.5). */
	private static long percentile(long[] sorted, double q) {
		return sorted[(int) Math.min(sorted.length - 1, sorted.length * q)];
	}

	private static String summary(long[] sorted) {
		return "p50 %.1f ms, p99 %.1f ms, max %.1f ms".formatted(percentile(sorted, 0.5) / 1e6,
				percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
	}

}
