package dev.bookmarks.devinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.logging.Level;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GreenMail's standalone server (com.icegreen:greenmail-standalone) as the local stack's mail sink: SMTP on
 * 127.0.0.1, every message kept in memory, and GreenMail's HTTP API (with its API browser at {@code /}) to read
 * them, e.g. {@code GET /api/user/ada@example.com/messages/INBOX}. Any sender and recipient is accepted without
 * authentication.
 *
 * <p>The standalone jar bundles its own SLF4J 1, Log4j 2, Jackson 2 and Jersey: on this process's class path they
 * would clash with ours. So the build copies the jar into dev-infra as a resource, and it runs here from a class
 * loader of its own whose parent is the platform class loader, started through its documented entry point
 * ({@code GreenMailStandaloneRunner.doRun(Properties)}).
 */
public final class EmbeddedMailServer implements MailServer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMailServer.class);
    static final String JAR_RESOURCE = "mail/greenmail-standalone.jar";
    private static final String RUNNER = "com.icegreen.greenmail.standalone.GreenMailStandaloneRunner";

    // Jersey (inside GreenMail) warns on java.util.logging about optional features it does without. A strong
    // reference, or the level is lost with the logger.
    private static final java.util.logging.Logger JERSEY_LOG = java.util.logging.Logger.getLogger("org.glassfish.jersey");

    private final URLClassLoader loader;
    private final Object runner;
    private final int smtpPort;
    private final int apiPort;

    private EmbeddedMailServer(URLClassLoader loader, Object runner, int smtpPort, int apiPort) {
        this.loader = loader;
        this.runner = runner;
        this.smtpPort = smtpPort;
        this.apiPort = apiPort;
    }

    /**
     * Starts GreenMail.
     *
     * @param smtpPort  the SMTP port, or 0 for a free one
     * @param apiPort   the HTTP API port, or 0 for a free one
     * @param directory where the standalone jar is unpacked to
     */
    public static EmbeddedMailServer start(int smtpPort, int apiPort, Path directory) {
        long started = System.nanoTime();
        int smtp = smtpPort > 0 ? smtpPort : Support.freePort();
        int api = apiPort > 0 ? apiPort : Support.freePort();
        if (smtpPort > 0) {
            Support.requireFree("SMTP", smtpPort);
        }
        if (apiPort > 0) {
            Support.requireFree("Mail API", apiPort);
        }
        Path jar = unpackJar(Support.createDirectories(directory.toAbsolutePath().normalize()));
        JERSEY_LOG.setLevel(Level.SEVERE);
        Properties properties = new Properties();
        properties.setProperty("greenmail.smtp.hostname", "127.0.0.1");
        properties.setProperty("greenmail.smtp.port", Integer.toString(smtp));
        properties.setProperty("greenmail.api.hostname", "127.0.0.1");
        properties.setProperty("greenmail.api.port", Integer.toString(api));
        properties.setProperty("greenmail.auth.disabled", "true");
        URLClassLoader loader;
        try {
            loader = new URLClassLoader("greenmail", new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Jersey and Log4j find their parts through the context class loader; GreenMail's threads inherit it.
        thread.setContextClassLoader(loader);
        try {
            Object runner = loader.loadClass(RUNNER).getConstructor().newInstance();
            runner.getClass().getMethod("doRun", Properties.class).invoke(runner, properties);
            LOG.info("GreenMail started in {} ms: SMTP 127.0.0.1:{}, mail readable at http://127.0.0.1:{}/",
                    (System.nanoTime() - started) / 1_000_000, smtp, api);
            return new EmbeddedMailServer(loader, runner, smtp, api);
        } catch (InvocationTargetException e) {
            closeQuietly(loader);
            throw new IllegalStateException("GreenMail failed to start: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            closeQuietly(loader);
            throw new IllegalStateException("GreenMail's standalone runner is not as expected: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Copies the jar out of dev-infra's own jar (a nested jar cannot be put on a class path as it is). */
    private static Path unpackJar(Path directory) {
        Path jar = directory.resolve("greenmail-standalone.jar");
        try (InputStream in = EmbeddedMailServer.class.getResourceAsStream(JAR_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + JAR_RESOURCE + " is missing: build dev-infra with Maven");
            }
            Path tmp = Files.createTempFile(directory, "greenmail-", ".jar.tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack GreenMail into " + directory, e);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int smtpPort() {
        return smtpPort;
    }

    public int apiPort() {
        return apiPort;
    }

    @Override
    public String apiUrl() {
        return "http://127.0.0.1:" + apiPort + "/";
    }

    @Override
    public void close() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            // Package-private in GreenMail: stops the API server, then SMTP.
            Method stop = runner.getClass().getDeclaredMethod("stop");
            stop.setAccessible(true);
            stop.invoke(runner);
        } catch (ReflectiveOperationException e) {
            LOG.warn("Stopping GreenMail failed: {}", e.toString());
        } finally {
            thread.setContextClassLoader(previous);
            closeQuietly(loader);
        }
        LOG.info("GreenMail stopped");
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return "GreenMail (SMTP 127.0.0.1:" + smtpPort + ", API " + apiUrl() + ")";
    }
}
