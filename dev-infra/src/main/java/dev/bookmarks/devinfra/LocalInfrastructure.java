package dev.bookmarks.devinfra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the local stack's infrastructure in one process: PostgreSQL, Redis, a Kafka KRaft broker and a mail sink
 * (GreenMail: SMTP, and an HTTP API to read what was sent), each unless given as external. Started by
 * {@code deploy/local/bookmarks up}.
 *
 * <pre>
 * java -jar dev-infra-0.1.0-SNAPSHOT-launcher.jar --data-dir DIR
 *      [--postgres-port 15432] [--redis-port 16379] [--kafka-port 19092] [--kafka-controller-port 19093]
 *      [--smtp-port 13025] [--mail-api-port 18080]
 *      [--databases auth,bookmark,graph,activity]
 *      [--external-postgres postgresql://user[:password]@host:port] [--external-redis redis://host:port]
 *      [--external-kafka host:port] [--external-smtp host[:port]]
 *      [--traces-file FILE [--traces-port 14318]]
 * java -jar dev-infra-0.1.0-SNAPSHOT-launcher.jar traces FILE [TRACE_ID_PREFIX | --last N]
 * </pre>
 *
 * With {@code --traces-file} it also receives the services' spans (OTLP over HTTP, {@link OtlpTraceReceiver}) and
 * appends them to FILE as JSON lines; the {@code traces} command prints the latest traces of such a file as trees.
 *
 * Data lives in DIR/postgres, DIR/redis and DIR/kafka and is kept across restarts; mail is kept in memory only.
 * Each listed database is created if missing (on the external PostgreSQL too). When everything is up,
 * DIR/infra.ready (key=value lines with the endpoints) is written. SIGTERM stops everything cleanly and deletes
 * infra.ready. When all four are external the launcher only creates the databases, writes infra.ready and exits 0.
 * Exit code 1 on any failure, 2 on bad usage.
 */
public final class LocalInfrastructure {

    static {
        // slf4j-simple (the launcher's logging backend) reads these once: set them before any logger exists.
        defaultProperty("org.slf4j.simpleLogger.logFile", "System.out");
        defaultProperty("org.slf4j.simpleLogger.showDateTime", "true");
        defaultProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        defaultProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        defaultProperty("org.slf4j.simpleLogger.showThreadName", "false");
        defaultProperty("org.slf4j.simpleLogger.log.kafka", "warn");
        defaultProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        defaultProperty("org.slf4j.simpleLogger.log.state.change.logger", "warn");
        defaultProperty("org.slf4j.simpleLogger.log.io.zonky.test.db.postgres.embedded.EmbeddedPostgres", "info");
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalInfrastructure.class);
    static final String READY_FILE = "infra.ready";

    private LocalInfrastructure() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("traces")) {
            TraceFile.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(Options.USAGE);
            return;
        }
        Running running = new Running(options.dataDir.resolve(READY_FILE));
        try {
            start(options, running);
        } catch (RuntimeException e) {
            LOG.error("Infrastructure failed to start: {}", rootMessage(e), e);
            System.exit(1); // the shutdown hook stops whatever did start
            return;
        }
        if (running.servers.isEmpty()) {
            LOG.info("All infrastructure is external: databases ready, nothing to run");
            return;
        }
        try {
            new CountDownLatch(1).await(); // until SIGTERM / SIGINT runs the shutdown hook
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts everything and writes the ready file; servers that started are registered in {@code running}. */
    static void start(Options options, Running running) {
        long started = System.nanoTime();
        Path dataDir = Support.createDirectories(options.dataDir.toAbsolutePath().normalize());
        running.deleteReadyFile();
        boolean allExternal = options.externalPostgres != null && options.externalRedis != null
                && options.externalKafka != null && options.externalSmtp != null && options.tracesFile == null;
        if (!allExternal) {
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "bookmarks-infra-shutdown"));
        }
        LOG.info("Starting local infrastructure (data: {})", dataDir);

        CompletableFuture<AbstractPostgresServer> postgres = options.externalPostgres != null
                ? CompletableFuture.completedFuture(ExternalPostgresServer.parse(options.externalPostgres))
                : async("postgres", () -> running.add(EmbeddedPostgresServer.start(options.postgresPort, dataDir.resolve("postgres"))));
        CompletableFuture<RedisServer> redis = options.externalRedis != null
                ? CompletableFuture.completedFuture(ExternalRedisServer.parse(options.externalRedis))
                : async("redis", () -> running.add(EmbeddedRedisServer.start(options.redisPort, dataDir.resolve("redis"))));
        CompletableFuture<KafkaServer> kafka = options.externalKafka != null
                ? CompletableFuture.completedFuture(ExternalKafkaServer.parse(options.externalKafka))
                : async("kafka", () -> running.add(KafkaBroker.start(options.kafkaPort, options.kafkaControllerPort, dataDir.resolve("kafka"))));
        CompletableFuture<MailServer> mail = options.externalSmtp != null
                ? CompletableFuture.completedFuture(ExternalMailServer.parse(options.externalSmtp))
                : async("mail", () -> running.add(EmbeddedMailServer.start(options.smtpPort, options.mailApiPort, dataDir.resolve("mail"))));

        // let every start finish (or fail) so that whatever did start is registered and stopped on failure
        try {
            CompletableFuture.allOf(postgres, redis, kafka, mail).join();
        } catch (CompletionException e) {
            // reported below
        }
        AbstractPostgresServer pg = join(postgres);
        RedisServer rd = join(redis);
        KafkaServer kf = join(kafka);
        MailServer ml = join(mail);

        if (options.externalRedis != null && !Support.isListening(rd.host(), rd.port())) {
            throw new IllegalStateException("External Redis " + rd.url() + " is not reachable");
        }
        if (options.externalKafka != null) {
            String first = kf.bootstrapServers().split(",")[0];
            int colon = first.lastIndexOf(':');
            if (!Support.isListening(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)))) {
                throw new IllegalStateException("External Kafka " + kf.bootstrapServers() + " is not reachable");
            }
        }
        for (String database : options.databases) {
            if (pg.ensureDatabase(database)) {
                LOG.info("Created database {}", database);
            }
        }

        OtlpTraceReceiver traces = null;
        if (options.tracesFile != null) {
            Support.requireFree("Trace receiver", options.tracesPort);
            TraceFile file = new TraceFile(options.tracesFile);
            traces = running.add(OtlpTraceReceiver.start(options.tracesPort, file::append));
            LOG.info("Receiving traces at {}, appended to {}", traces.endpoint(), options.tracesFile);
        }

        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<String, String> ready = new LinkedHashMap<>();
        ready.put("pid", Long.toString(ProcessHandle.current().pid()));
        ready.put("postgres.host", pg.host());
        ready.put("postgres.port", Integer.toString(pg.port()));
        ready.put("postgres.user", pg.user());
        ready.put("postgres.password", pg.password());
        ready.put("postgres.external", Boolean.toString(options.externalPostgres != null));
        ready.put("databases", String.join(",", options.databases));
        ready.put("redis.host", rd.host());
        ready.put("redis.port", Integer.toString(rd.port()));
        ready.put("redis.url", rd.url());
        ready.put("redis.external", Boolean.toString(options.externalRedis != null));
        ready.put("kafka.bootstrap", kf.bootstrapServers());
        ready.put("kafka.external", Boolean.toString(options.externalKafka != null));
        ready.put("smtp.host", ml.host());
        ready.put("smtp.port", Integer.toString(ml.smtpPort()));
        ready.put("smtp.external", Boolean.toString(options.externalSmtp != null));
        if (ml.apiUrl() != null) {
            ready.put("mail.api.url", ml.apiUrl());
        }
        if (traces != null) {
            ready.put("traces.endpoint", traces.endpoint());
            ready.put("traces.file", options.tracesFile.toString());
        }
        ready.put("startup.millis", Long.toString(millis));
        running.writeReadyFile(ready);
        LOG.info("Infrastructure ready in {} ms: postgres {}:{} (databases {}), redis {}, kafka {}, smtp {}:{}{}", millis,
                pg.host(), pg.port(), String.join(",", options.databases), rd.url(), kf.bootstrapServers(), ml.host(),
                ml.smtpPort(), ml.apiUrl() == null ? "" : " (mail readable at " + ml.apiUrl() + ")");
    }

    private static <T> CompletableFuture<T> async(String name, Supplier<T> start) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(start.get());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "start-" + name);
        thread.start();
        return future;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The servers this process started, stopped in reverse order. */
    static final class Running {
        final Path readyFile;
        final List<AutoCloseable> servers = new ArrayList<>();
        private boolean stopped;

        Running(Path readyFile) {
            this.readyFile = readyFile;
        }

        synchronized <T extends AutoCloseable> T add(T server) {
            if (stopped) { // shutdown began while this one was starting
                try {
                    server.close();
                } catch (Exception ignored) {
                    // best effort
                }
                throw new IllegalStateException("Shutting down");
            }
            servers.add(server);
            return server;
        }

        void stop() {
            List<AutoCloseable> toStop;
            synchronized (this) {
                if (stopped) {
                    return;
                }
                stopped = true;
                toStop = new ArrayList<>(servers);
            }
            deleteReadyFile();
            if (toStop.isEmpty()) {
                return;
            }
            LOG.info("Stopping local infrastructure");
            // Kafka first (it is in this JVM), then Redis, then PostgreSQL
            toStop.sort((a, b) -> Integer.compare(order(a), order(b)));
            for (AutoCloseable server : toStop) {
                try {
                    server.close();
                } catch (Exception e) {
                    LOG.warn("Stopping {} failed: {}", server, e.toString());
                }
            }
            LOG.info("Local infrastructure stopped");
        }

        private static int order(AutoCloseable server) {
            if (server instanceof KafkaBroker || server instanceof EmbeddedMailServer || server instanceof OtlpTraceReceiver) {
                return 0;
            }
            return server instanceof EmbeddedRedisServer ? 1 : 2;
        }

        void deleteReadyFile() {
            try {
                Files.deleteIfExists(readyFile);
            } catch (IOException e) {
                LOG.warn("Cannot delete {}: {}", readyFile, e.toString());
            }
        }

        void writeReadyFile(Map<String, String> values) {
            StringBuilder text = new StringBuilder("# Bookmarks local infrastructure: up\n");
            values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot write " + readyFile, e);
            }
        }
    }

    /** Command-line options. */
    static final class Options {
        static final String USAGE = """
                usage: java -jar dev-infra-launcher.jar --data-dir DIR [options]
                  --data-dir DIR                 data of postgres/, redis/, kafka/ and the infra.ready file (required)
                  --postgres-port N              embedded PostgreSQL port (default 15432)
                  --redis-port N                 embedded Redis port (default 16379)
                  --kafka-port N                 embedded Kafka client port (default 19092)
                  --kafka-controller-port N      embedded Kafka controller port (default 19093)
                  --smtp-port N                  embedded mail sink's SMTP port (default 13025)
                  --mail-api-port N              embedded mail sink's HTTP API, to read the mail (default 18080)
                  --databases a,b,c              databases to create if missing (default none)
                  --external-postgres URL        use postgresql://user[:password]@host:port instead of the embedded one
                  --external-redis URL           use redis://host:port instead of the embedded one
                  --external-kafka HOST:PORT     use this Kafka bootstrap server instead of the embedded one
                  --external-smtp HOST[:PORT]    the services send mail there (port 25 by default): no mail sink runs
                  --traces-file FILE             receive the services' spans (OTLP/HTTP) and append them to FILE
                  --traces-port N                port of that receiver (default 14318)
                usage: java -jar dev-infra-launcher.jar traces FILE [TRACE_ID_PREFIX | --last N]
                  prints the last N (default 5) traces of FILE, or the one with that id, as trees""";

        Path dataDir;
        int postgresPort = 15432;
        int redisPort = 16379;
        int kafkaPort = 19092;
        int kafkaControllerPort = 19093;
        int smtpPort = 13025;
        int mailApiPort = 18080;
        List<String> databases = List.of();
        String externalPostgres;
        String externalRedis;
        String externalKafka;
        String externalSmtp;
        Path tracesFile;
        int tracesPort = 14318;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                if (arg.equals("--help") || arg.equals("-h")) {
                    o.help = true;
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value for " + arg);
                    }
                    value = args[++i];
                }
                switch (arg) {
                    case "--data-dir" -> o.dataDir = Path.of(value);
                    case "--postgres-port" -> o.postgresPort = port(arg, value);
                    case "--redis-port" -> o.redisPort = port(arg, value);
                    case "--kafka-port" -> o.kafkaPort = port(arg, value);
                    case "--kafka-controller-port" -> o.kafkaControllerPort = port(arg, value);
                    case "--smtp-port" -> o.smtpPort = port(arg, value);
                    case "--mail-api-port" -> o.mailApiPort = port(arg, value);
                    case "--databases" -> o.databases = Arrays.stream(value.split(","))
                            .map(String::trim).filter(s -> !s.isEmpty()).peek(AbstractPostgresServer::checkName).toList();
                    case "--external-postgres" -> o.externalPostgres = blankToNull(value);
                    case "--external-redis" -> o.externalRedis = blankToNull(value);
                    case "--external-kafka" -> o.externalKafka = blankToNull(value);
                    case "--external-smtp" -> o.externalSmtp = blankToNull(value);
                    case "--traces-file" -> o.tracesFile = Path.of(value);
                    case "--traces-port" -> o.tracesPort = port(arg, value);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (o.help) {
                return o;
            }
            if (o.dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            if (o.externalKafka == null && o.kafkaPort == o.kafkaControllerPort) {
                throw new IllegalArgumentException("--kafka-port and --kafka-controller-port must differ");
            }
            if (o.externalSmtp == null && o.smtpPort == o.mailApiPort) {
                throw new IllegalArgumentException("--smtp-port and --mail-api-port must differ");
            }
            if (o.externalSmtp != null) {
                ExternalMailServer.parse(o.externalSmtp);
            }
            return o;
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }

        private static int port(String option, String value) {
            try {
                int port = Integer.parseInt(value.trim());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid port for " + option + ": " + value);
            }
        }
    }
}
