package dev.bookmarks.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small helpers: ports, stale processes, directories. */
final class Support {

    private static final Logger LOG = LoggerFactory.getLogger(Support.class);

    private Support() {
    }

    /** A currently free TCP port on 127.0.0.1 (may be taken by someone else before it is used). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:port. */
    static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void requireFree(String what, int port) {
        if (isListening("127.0.0.1", port)) {
            throw new IllegalStateException(what + " port " + port + " is already in use on 127.0.0.1 "
                    + "(another instance still running? choose another port)");
        }
    }

    /**
     * If {@code pidFile} names a live process whose command line contains {@code marker} (a server left behind by a
     * killed launcher), stops it: SIGTERM, then SIGKILL after {@code grace}.
     */
    static void stopStaleProcess(Path pidFile, String marker, Duration grace) {
        stopStaleProcess(pidFile, java.util.List.of(marker), grace);
    }

    /** As above; the command line must contain every one of {@code markers}. */
    static void stopStaleProcess(Path pidFile, java.util.List<String> markers, Duration grace) {
        String marker = String.join(" ", markers);
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            String first = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
            pid = Long.parseLong(first);
        } catch (IOException | NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        String commandLine = commandLine(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || !markers.stream().allMatch(commandLine::contains)) {
            return;
        }
        LOG.warn("Stopping stale {} process {} left over from a previous run ({})", marker, pid, pidFile);
        ProcessHandle p = handle.get();
        p.destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            sleep(100);
        }
        if (p.isAlive()) {
            p.destroyForcibly();
            deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (p.isAlive() && System.nanoTime() < deadline) {
                sleep(100);
            }
        }
    }

    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    /** Deletes a directory tree, quietly. */
    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    try {
                        Files.deleteIfExists(dir);
                    } catch (IOException e) {
                        // not empty (something still writing): leave it
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            LOG.debug("Could not delete {}: {}", root, e.toString());
        }
    }
}
