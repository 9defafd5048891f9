package dev.bookmarks.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real Redis server (binary from {@code com.github.codemonstur:embedded-redis}) bound to 127.0.0.1.
 *
 * <p>With a data directory, data is persisted there (append-only file, fsync every second) and reloaded on the next
 * start; without one, persistence is off.
 */
public final class EmbeddedRedisServer implements RedisServer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);

    private final redis.embedded.RedisServer server;
    private final int port;

    private EmbeddedRedisServer(redis.embedded.RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts Redis.
     *
     * @param port          the port, or 0 for a free one
     * @param dataDirectory where data is persisted, or {@code null} for no persistence
     */
    public static EmbeddedRedisServer start(int port, Path dataDirectory) {
        return start(port, dataDirectory, dataDirectory != null);
    }

    /** As {@link #start(int, Path)}; with {@code persist} false the directory only holds the pid file. */
    static EmbeddedRedisServer start(int port, Path dataDirectory, boolean persist) {
        long started = System.nanoTime();
        int actualPort = port > 0 ? port : Support.freePort();
        RedisServerBuilder builder = redis.embedded.RedisServer.newRedisServer()
                .port(actualPort)
                .bind("127.0.0.1")
                .setting("protected-mode yes")
                .setting("daemonize no")
                .setting("loglevel notice")
                .soutListener(EmbeddedRedisServer::log)
                .serrListener(line -> LOG.warn("redis: {}", line));
        Path dir = null;
        if (dataDirectory != null) {
            dir = Support.createDirectories(dataDirectory.toAbsolutePath().normalize());
            Path pidFile = dir.resolve("redis.pid");
            // A redis-server left running by a launcher that was killed still holds the port: stop it first (it is
            // recognised by its pid file and the address it listened on).
            stopStale(dir, Duration.ofSeconds(10));
            builder.setting("dir " + quote(dir.toString())).setting("pidfile " + quote(pidFile.toString()));
        }
        if (persist) {
            builder.setting("appendonly yes").setting("appendfsync everysec").setting("save 300 1");
        } else {
            builder.setting("save \"\"").setting("appendonly no");
        }
        if (port > 0) {
            Support.requireFree("Redis", port);
        }
        try {
            redis.embedded.RedisServer server = builder.build();
            startWhileTheBinaryIsBusy(server);
            if (dir != null) {
                Files.writeString(dir.resolve(PORT_FILE), Integer.toString(actualPort));
            }
            LOG.info("Redis started on 127.0.0.1:{} in {} ms (data: {})", actualPort,
                    (System.nanoTime() - started) / 1_000_000, persist ? dir : "not persisted");
            return new EmbeddedRedisServer(server, actualPort);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded Redis on port " + actualPort, e);
        }
    }

    private static final String PORT_FILE = "redis.port";

    private static final int BUSY_ATTEMPTS = 10;

    /**
     * Starts the server, again while its binary is "busy". The library writes redis-server afresh for every server;
     * a process that another thread of this JVM forks meanwhile (PostgreSQL's initdb and pg_ctl start beside Redis)
     * holds the file open for writing until that child execs, a millisecond or so, and executing the binary in that
     * moment fails with ETXTBSY ("error=26, Text file busy"). The failed start launched nothing, so it can be repeated.
     */
    private static void startWhileTheBinaryIsBusy(redis.embedded.RedisServer server) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                server.start();
                return;
            } catch (IOException e) {
                if (attempt == BUSY_ATTEMPTS || !textFileBusy(e)) {
                    throw e;
                }
                LOG.debug("redis-server was busy (attempt {}): {}", attempt, e.toString());
                try {
                    Thread.sleep(5L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean textFileBusy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("error=26,")) {
                return true;
            }
        }
        return false;
    }

    /** Stops a redis-server left running with this directory (its pid file and port file name it). */
    static void stopStale(Path dir, Duration grace) {
        Path pidFile = dir.resolve("redis.pid");
        Path portFile = dir.resolve(PORT_FILE);
        if (!Files.isRegularFile(pidFile) || !Files.isRegularFile(portFile)) {
            return;
        }
        try {
            String port = Files.readString(portFile).trim();
            Support.stopStaleProcess(pidFile, List.of("redis-server", "127.0.0.1:" + port), grace);
        } catch (IOException e) {
            // nothing to stop
        }
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void log(String line) {
        // redis log lines look like "pid:M 01 Jan 2025 00:00:00.000 # message"; '#' marks warnings (and the startup
        // banner), '*' notices
        if (line.contains("WARNING") || line.contains("rror")) {
            LOG.warn("redis: {}", line);
        } else if (line.contains(" # ")) {
            LOG.info("redis: {}", line);
        } else {
            LOG.debug("redis: {}", line);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server (SIGTERM: an append-only file is flushed). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            LOG.warn("Stopping Redis failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedisServer[" + url() + "]";
    }
}
