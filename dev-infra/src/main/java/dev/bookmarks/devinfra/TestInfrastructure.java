package dev.bookmarks.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL, Redis and Kafka servers for tests: each started once per JVM, lazily, on first use, and stopped
 * when the JVM exits. Thread-safe.
 *
 * <p>An external server is used instead of the embedded one when its environment variable (or the system property
 * in brackets) is set:
 * <ul>
 *   <li>{@code BOOKMARKS_POSTGRES_URL} ({@code bookmarks.postgres.url}): {@code postgresql://user[:password]@host:port},
 *       e.g. {@code postgresql://postgres@127.0.0.1:5432};</li>
 *   <li>{@code BOOKMARKS_REDIS_URL} ({@code bookmarks.redis.url}): {@code redis://host:port};</li>
 *   <li>{@code BOOKMARKS_KAFKA_BOOTSTRAP} ({@code bookmarks.kafka.bootstrap}): {@code host:port}.</li>
 * </ul>
 * Otherwise, when a Docker engine answers (and {@code BOOKMARKS_TESTCONTAINERS} is not {@code false}), the server
 * runs in a container (Testcontainers). Otherwise, the usual case here, the embedded server starts on a free port
 * with its data in a temporary directory, deleted at exit.
 *
 * <pre>{@code
 * @DynamicPropertySource
 * static void infra(DynamicPropertyRegistry r) {
 *     PostgresServer pg = TestInfrastructure.postgres();
 *     String db = pg.createDatabase("bookmark");
 *     r.add("spring.r2dbc.url", () -> pg.r2dbcUrl(db));
 *     r.add("spring.r2dbc.username", pg::user);
 *     r.add("spring.r2dbc.password", pg::password);
 *     r.add("spring.data.redis.url", () -> TestInfrastructure.redis().url());
 *     r.add("spring.kafka.bootstrap-servers", () -> TestInfrastructure.kafka().bootstrapServers());
 * }
 * }</pre>
 */
public final class TestInfrastructure {

    private static final Logger LOG = LoggerFactory.getLogger(TestInfrastructure.class);

    static final String POSTGRES_ENV = "BOOKMARKS_POSTGRES_URL";
    static final String REDIS_ENV = "BOOKMARKS_REDIS_URL";
    static final String KAFKA_ENV = "BOOKMARKS_KAFKA_BOOTSTRAP";

    private static final Lazy<PostgresServer> POSTGRES = new Lazy<>("PostgreSQL", TestInfrastructure::startPostgres);
    private static final Lazy<RedisServer> REDIS = new Lazy<>("Redis", TestInfrastructure::startRedis);
    private static final Lazy<KafkaServer> KAFKA = new Lazy<>("Kafka", TestInfrastructure::startKafka);

    /** Things to stop at exit, in start order (stopped in reverse). */
    private static final List<AutoCloseable> STARTED = new CopyOnWriteArrayList<>();
    private static final List<String> EXTERNAL_DATABASES = new CopyOnWriteArrayList<>();
    private static Path tempRoot;
    private static boolean hookInstalled;

    private TestInfrastructure() {
    }

    /** The PostgreSQL server (started once per JVM, lazily). */
    public static PostgresServer postgres() {
        return POSTGRES.get();
    }

    /** The Redis server (started once per JVM, lazily). */
    public static RedisServer redis() {
        return REDIS.get();
    }

    /** The Kafka broker (started once per JVM, lazily). */
    public static KafkaServer kafka() {
        return KAFKA.get();
    }

    private static PostgresServer startPostgres() {
        String external = setting(POSTGRES_ENV, "bookmarks.postgres.url");
        if (external != null) {
            ExternalPostgresServer server = ExternalPostgresServer.parse(external);
            LOG.info("Tests use the external PostgreSQL {}:{} ({})", server.host(), server.port(), POSTGRES_ENV);
            installShutdownHook();
            return new TrackingPostgresServer(server);
        }
        if (ContainerInfrastructure.available()) {
            installShutdownHook();
            return new TrackingPostgresServer(ContainerInfrastructure.postgres());
        }
        EmbeddedPostgresServer server = withRetries(() -> EmbeddedPostgresServer.start(0, tempDirectory("postgres")));
        register(server);
        return server;
    }

    private static RedisServer startRedis() {
        String external = setting(REDIS_ENV, "bookmarks.redis.url");
        if (external != null) {
            RedisServer server = ExternalRedisServer.parse(external);
            LOG.info("Tests use the external Redis {} ({})", server.url(), REDIS_ENV);
            return server;
        }
        if (ContainerInfrastructure.available()) {
            return ContainerInfrastructure.redis();
        }
        EmbeddedRedisServer server = withRetries(() -> EmbeddedRedisServer.start(0, tempDirectory("redis"), false));
        register(server);
        return server;
    }

    private static KafkaServer startKafka() {
        String external = setting(KAFKA_ENV, "bookmarks.kafka.bootstrap");
        if (external != null) {
            KafkaServer server = ExternalKafkaServer.parse(external);
            LOG.info("Tests use the external Kafka {} ({})", server.bootstrapServers(), KAFKA_ENV);
            return server;
        }
        if (ContainerInfrastructure.available()) {
            return ContainerInfrastructure.kafka();
        }
        KafkaLogging.quietBroker();
        int[] attempt = {0};
        // in the JVM's temporary directory (deleted at exit, or by the next JVM if this one gets killed)
        KafkaBroker broker = withRetries(() -> KafkaBroker.start(0, 0, tempDirectory("kafka-" + ++attempt[0])));
        KafkaLogging.quietBroker();
        register(broker);
        return broker;
    }

    static String setting(String env, String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Free ports are picked before binding: retry if another process grabbed one in between. */
    private static <T> T withRetries(Supplier<T> start) {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return start.get();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
                LOG.warn("Start attempt {} failed: {}", attempt, e.toString());
            }
        }
        throw failure;
    }

    private static synchronized Path tempDirectory(String name) {
        try {
            if (tempRoot == null) {
                reapOrphans();
                tempRoot = Files.createTempDirectory(TEMP_PREFIX);
                Files.writeString(tempRoot.resolve(OWNER_FILE), owner(ProcessHandle.current()));
                installShutdownHook();
            }
            return Files.createDirectories(tempRoot.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String TEMP_PREFIX = "bookmarks-test-infra-";
    private static final String OWNER_FILE = "owner";

    private static String owner(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Object::toString).orElse("?");
    }

    /**
     * Stops the PostgreSQL and Redis servers of test JVMs that were killed before their shutdown hook ran (their
     * temporary directory names an owner process that no longer exists), and deletes those directories. Servers of
     * test JVMs still running are left alone.
     */
    private static void reapOrphans() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var dirs = Files.newDirectoryStream(tmp, TEMP_PREFIX + "*")) {
            for (Path dir : dirs) {
                Path ownerFile = dir.resolve(OWNER_FILE);
                if (!Files.isRegularFile(ownerFile)
                        || Files.getLastModifiedTime(ownerFile).toMillis() > System.currentTimeMillis() - 5_000) {
                    continue;
                }
                String recorded = Files.readString(ownerFile).trim();
                long pid = Long.parseLong(recorded.split(" ")[0]);
                boolean ownerAlive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .map(p -> owner(p).equals(recorded)).orElse(false);
                if (ownerAlive) {
                    continue;
                }
                LOG.info("Cleaning up test infrastructure left by killed JVM {}: {}", pid, dir);
                Path pg = dir.resolve("postgres").toAbsolutePath();
                Support.stopStaleProcess(pg.resolve("postmaster.pid"), pg.toString(), java.time.Duration.ofSeconds(5));
                EmbeddedRedisServer.stopStale(dir.resolve("redis"), java.time.Duration.ofSeconds(5));
                Support.deleteRecursively(dir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not look for orphaned test infrastructure: {}", e.toString());
        }
    }

    private static synchronized void register(AutoCloseable server) {
        STARTED.add(server);
        installShutdownHook();
    }

    private static synchronized void installShutdownHook() {
        if (!hookInstalled) {
            hookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(TestInfrastructure::shutdown, "bookmarks-test-infra-shutdown"));
        }
    }

    private static void shutdown() {
        // Let application contexts closing in other shutdown hooks disconnect first (a Kafka consumer whose broker
        // vanished waits its whole close timeout).
        awaitOtherShutdownHooks(10_000);
        List<AutoCloseable> servers = new ArrayList<>(STARTED);
        for (int i = servers.size() - 1; i >= 0; i--) {
            try {
                servers.get(i).close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", servers.get(i), e.toString());
            }
        }
        PostgresServer pg = POSTGRES.peek();
        if (pg instanceof TrackingPostgresServer tracking) {
            tracking.dropCreatedDatabases();
        }
        Path root;
        synchronized (TestInfrastructure.class) {
            root = tempRoot;
        }
        Support.deleteRecursively(root);
    }

    private static final Set<String> SPRING_HOOKS = Set.of("SpringApplicationShutdownHook", "SpringContextShutdownHook");

    private static void awaitOtherShutdownHooks(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread != Thread.currentThread() && SPRING_HOOKS.contains(thread.getName())) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                try {
                    thread.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** A lazily started server; a failed start is remembered and rethrown (no retry per test class). */
    private static final class Lazy<T> {
        private final String name;
        private final Supplier<T> starter;
        private volatile T value;
        private RuntimeException failure;

        Lazy(String name, Supplier<T> starter) {
            this.name = name;
            this.starter = starter;
        }

        T get() {
            T v = value;
            if (v != null) {
                return v;
            }
            synchronized (this) {
                if (value == null) {
                    if (failure != null) {
                        throw new IllegalStateException(name + " for tests failed to start earlier in this JVM", failure);
                    }
                    try {
                        value = starter.get();
                    } catch (RuntimeException e) {
                        failure = e;
                        throw new IllegalStateException(name + " for tests failed to start: " + e.getMessage(), e);
                    }
                }
                return value;
            }
        }

        T peek() {
            return value;
        }
    }

    /** An external PostgreSQL whose test databases are dropped when the JVM exits. */
    private static final class TrackingPostgresServer extends AbstractPostgresServer {
        private final ExternalPostgresServer delegate;

        TrackingPostgresServer(ExternalPostgresServer delegate) {
            this.delegate = delegate;
        }

        @Override
        String maintenanceDatabase() {
            return delegate.maintenanceDatabase();
        }

        @Override
        public String createDatabase(String prefix) {
            String name = super.createDatabase(prefix);
            EXTERNAL_DATABASES.add(name);
            return name;
        }

        void dropCreatedDatabases() {
            if ("true".equalsIgnoreCase(System.getenv("BOOKMARKS_KEEP_TEST_DATABASES"))) {
                return;
            }
            for (String db : EXTERNAL_DATABASES) {
                try {
                    dropDatabase(db);
                } catch (RuntimeException e) {
                    LOG.debug("Could not drop test database {}: {}", db, e.toString());
                }
            }
        }

        @Override
        public String host() {
            return delegate.host();
        }

        @Override
        public int port() {
            return delegate.port();
        }

        @Override
        public String user() {
            return delegate.user();
        }

        @Override
        public String password() {
            return delegate.password();
        }
    }
}
