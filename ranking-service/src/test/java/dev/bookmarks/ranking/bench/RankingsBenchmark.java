package dev.bookmarks.ranking.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.bookmarks.devinfra.TestInfrastructure;
import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.image.ImageViewed;
import dev.bookmarks.platform.test.ServiceTestProperties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.ClassPathResource;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.StreamUtils;

/**
 * Not a test: the figures of deploy/bench/rankings.sh, run only with {@code -Dbookmarks.bench=true}.
 * One ranking-service instance (this application context) against one Redis and Kafka: the
 * embedded ones, or the local stack's when BOOKMARKS_REDIS_URL / BOOKMARKS_KAFKA_BOOTSTRAP name
 * them. Prints its figures; asserts nothing about time.
 *
 * <ol>
 * <li>Throughput: a backlog of views is published first, then the views listener starts; views
 * applied per second from its first commit to its last.</li>
 * <li>redis-benchmark on the same Redis, same run: EVALSHA of the views script (one view per
 * run, of a partition of its own, so that it is always applied), ZINCRBY, INCR.</li>
 * <li>Lag: views published at a steady rate; for every 10th (a probe image of its own), the time
 * from just before {@code send()} until its score is in the all-time ranking.</li>
 * </ol>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "spring.kafka.listener.auto-startup=false")
@EnabledIfSystemProperty(named = "bookmarks.bench", matches = "true")
class RankingsBenchmark {

	static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	static final String PREFIX = "{bench-" + RUN + "}";

	static final String GROUPS = "ranking-bench-" + RUN;

	static final int BACKLOG = Integer.getInteger("bookmarks.bench.backlog", 200_000);

	static final int RATE = Integer.getInteger("bookmarks.bench.rate", 1000);

	static final int SECONDS = Integer.getInteger("bookmarks.bench.seconds", 30);

	static final int REDIS_REQUESTS = Integer.getInteger("bookmarks.bench.redis-requests", 200_000);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ServiceTestProperties.redis(registry);
		ServiceTestProperties.kafka(registry);
		ServiceTestProperties.tokens(registry);
		registry.add("bookmarks.rankings.key-prefix", () -> PREFIX);
		registry.add("bookmarks.rankings.consumer-group-prefix", () -> GROUPS);
	}

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void measure() throws Exception {
		String bootstrap = TestInfrastructure.kafka().bootstrapServers();
		String redisUrl = TestInfrastructure.redis().url();
		System.out.println("BENCH redis " + redisUrl + ", kafka " + bootstrap + ", cores "
				+ Runtime.getRuntime().availableProcessors());
		try (KafkaProducer<String, String> producer = producer(bootstrap);
				Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
				RedisClient redisClient = RedisClient.create(redisUrl);
				StatefulRedisConnection<String, String> connection = redisClient.connect()) {
			RedisCommands<String, String> redis = connection.sync();
			throughput(producer, admin, redis);
			redisBenchmark(redisUrl, redis);
			lag(producer, redis);
		}
	}

	private void throughput(KafkaProducer<String, String> producer, Admin admin, RedisCommands<String, String> redis)
			throws Exception {
		long memoryBefore = usedMemory(redis);
		Instant now = Instant.now();
		for (int i = 0; i < BACKLOG; i++) {
			UUID image = new UUID(0, ThreadLocalRandom.current().nextInt(1000));
			producer.send(record(new ImageViewed(image, UUID.randomUUID(), now), now));
		}
		producer.flush();
		Map<TopicPartition, Long> end = endOffsets(admin);
		long total = end.values().stream().mapToLong(Long::longValue).sum();
		listeners.getListenerContainer("ranking-views").start();
		long firstCommitted = -1;
		long startedAt = 0;
		long committed;
		do {
			Thread.sleep(20);
			committed = committed(admin, end);
			if (firstCommitted < 0 && committed > 0) {
				firstCommitted = committed;
				startedAt = System.nanoTime();
			}
		}
		while (committed < total);
		double seconds = (System.nanoTime() - startedAt) / 1e9;
		long applied = total - firstCommitted;
		System.out.printf("BENCH throughput: %d views applied in %.2f s after the first commit = %.0f views/s "
				+ "(one instance, batches of up to 500, 100 views per script run)%n", applied, seconds, applied / seconds);
		long memoryAfter = usedMemory(redis);
		System.out.printf("BENCH redis memory: +%.1f MB for %d views of 1000 images in one day, %.1f bytes per view; "
				+ "%d keys, %d of them per-view%n", (memoryAfter - memoryBefore) / 1e6, total,
				(memoryAfter - memoryBefore) / (double) total, keys(redis, PREFIX + "*"), keys(redis, PREFIX + ":*:seen:*"));
	}

	private void redisBenchmark(String redisUrl, RedisCommands<String, String> redis)
			throws IOException, InterruptedException {
		java.net.URI uri = java.net.URI.create(redisUrl);
		String script;
		try (var in = new ClassPathResource("scripts/apply-views.lua").getInputStream()) {
			script = StreamUtils.copyToString(in, StandardCharsets.UTF_8);
		}
		String sha = redis.scriptLoad(script);
		String today = LocalDate.now(ZoneOffset.UTC).toString();
		String[] base = { "redis-benchmark", "-h", uri.getHost(), "-p", String.valueOf(uri.getPort()), "-n",
				String.valueOf(REDIS_REQUESTS), "-r", "100000000", "-q" };
		List<List<String>> commands = List.of(
				List.of("EVALSHA", sha, "0", PREFIX, "", "rb:__rand_int__", "1", "img-__rand_int__", today,
						Long.toString(Duration.ofDays(9).toSeconds()), "86400", "viewer-__rand_int__"),
				List.of("ZINCRBY", PREFIX + ":rb:views", "1", "img-__rand_int__"),
				List.of("INCR", PREFIX + ":rb:counter"));
		for (String clients : List.of("1", "50")) {
			for (List<String> command : commands) {
				List<String> line = new ArrayList<>(Arrays.asList(base));
				line.addAll(List.of("-c", clients));
				line.addAll(command);
				Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
				String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				process.waitFor(5, TimeUnit.MINUTES);
				String last = output.lines().filter(l -> l.contains("requests per second")).reduce((a, b) -> b)
					.orElse(output.trim());
				String name = command.get(0).equals("EVALSHA") ? "EVALSHA apply-views.lua (one view)" : command.get(0);
				String figures = last.substring(last.lastIndexOf('\r') + 1).trim();
				System.out.println("BENCH redis-benchmark -c " + clients + " " + name + ": "
						+ figures.substring(figures.lastIndexOf(": ") + 2));
			}
		}
	}

	private void lag(KafkaProducer<String, String> producer, RedisCommands<String, String> redis) throws Exception {
		Map<String, Long> pending = new ConcurrentHashMap<>();
		List<Long> lags = java.util.Collections.synchronizedList(new ArrayList<>());
		String views = PREFIX + ":g0:views";
		Thread checker = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted() || !pending.isEmpty()) {
				if (!pending.isEmpty()) {
					String[] probes = pending.keySet().toArray(String[]::new);
					List<Double> scores = zmscore(redis, views, probes);
					long seen = System.nanoTime();
					for (int i = 0; i < probes.length; i++) {
						if (scores.get(i) != null) {
							Long published = pending.remove(probes[i]);
							if (published != null) {
								lags.add(seen - published);
							}
						}
					}
				}
				LockSupport.parkNanos(1_000_000);
			}
		}, "lag-checker");
		checker.start();
		long interval = 1_000_000_000L / RATE;
		long start = System.nanoTime();
		int total = RATE * SECONDS;
		for (int i = 0; i < total; i++) {
			long due = start + i * interval;
			while (System.nanoTime() < due) {
				LockSupport.parkNanos(Math.max(1, due - System.nanoTime()));
			}
			Instant now = Instant.now();
			if (i % 10 == 0) {
				UUID probe = UUID.randomUUID();
				pending.put(probe.toString(), System.nanoTime());
				producer.send(record(new ImageViewed(probe, UUID.randomUUID(), now), now));
			}
			else {
				producer.send(record(new ImageViewed(new UUID(0, i % 1000), UUID.randomUUID(), now), now));
			}
		}
		double achieved = total / ((System.nanoTime() - start) / 1e9);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!pending.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		checker.interrupt();
		checker.join(5000);
		long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf("BENCH lag at %.0f views/s for %d s (%d probes, %d unseen): p50 %.1f ms, p95 %.1f ms, "
				+ "p99 %.1f ms, max %.1f ms%n", achieved, SECONDS, sorted.length, pending.size(), pct(sorted, 50),
				pct(sorted, 95), pct(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
	}

	private static List<Double> zmscore(RedisCommands<String, String> redis, String key, String[] members) {
		List<Double> scores = new ArrayList<>(members.length);
		for (String member : members) {
			scores.add(redis.zscore(key, member));
		}
		return scores;
	}

	private static double pct(long[] sorted, int percentile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
	}

	private ProducerRecord<String, String> record(ImageViewed view, Instant at) {
		EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), view.type(), view.version(), at,
				view.aggregateId(), json.valueToTree(view));
		return new ProducerRecord<>(Topics.IMAGE_VIEWS, envelope.aggregateId(), json.writeValueAsString(envelope));
	}

	private static KafkaProducer<String, String> producer(String bootstrap) {
		// as bookmark-service's producer: acks=all, idempotent, linger 5 ms (platform defaults)
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG,
				"all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true", ProducerConfig.LINGER_MS_CONFIG, "5"),
				new StringSerializer(), new StringSerializer());
	}

	private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
		int partitions = admin.describeTopics(List.of(Topics.IMAGE_VIEWS)).allTopicNames().get().get(Topics.IMAGE_VIEWS)
			.partitions().size();
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		for (int partition = 0; partition < partitions; partition++) {
			latest.put(new TopicPartition(Topics.IMAGE_VIEWS, partition), OffsetSpec.latest());
		}
		Map<TopicPartition, Long> end = new HashMap<>();
		admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
		return end;
	}

	private static long committed(Admin admin, Map<TopicPartition, Long> end) throws Exception {
		Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUPS + ".views")
			.partitionsToOffsetAndMetadata()
			.get();
		long sum = 0;
		for (TopicPartition partition : end.keySet()) {
			OffsetAndMetadata offset = offsets.get(partition);
			sum += offset == null ? 0 : offset.offset();
		}
		return sum;
	}

	private static long keys(RedisCommands<String, String> redis, String pattern) {
		long keys = 0;
		io.lettuce.core.KeyScanCursor<String> cursor = redis.scan(io.lettuce.core.ScanArgs.Builder.matches(pattern).limit(1000));
		keys += cursor.getKeys().size();
		while (!cursor.isFinished()) {
			cursor = redis.scan(cursor, io.lettuce.core.ScanArgs.Builder.matches(pattern).limit(1000));
			keys += cursor.getKeys().size();
		}
		return keys;
	}

	private static long usedMemory(RedisCommands<String, String> redis) {
		for (String line : redis.info("memory").split("\r?\n")) {
			if (line.startsWith("used_memory:")) {
				return Long.parseLong(line.substring("used_memory:".length()).trim());
			}
		}
		return 0;
	}


}
