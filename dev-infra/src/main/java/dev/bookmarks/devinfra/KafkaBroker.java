package dev.bookmarks.devinfra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.DynamicVoters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker + controller), running inside this JVM from
 * Kafka's own jars.
 *
 * <p>The log directory is formatted like {@code kafka-storage format --standalone} (a dynamic, single-voter
 * controller quorum) unless it already holds a formatted node, so a persistent directory keeps topics and offsets
 * across restarts. Clients connect to {@code PLAINTEXT://127.0.0.1:<port>}; the controller listens on another port.
 * Settings are those of a one-node cluster: replication factors and min ISR 1, no automatic topic creation, no
 * initial rebalance delay, few threads and a small log-cleaner buffer so that it fits a 256 MB heap.
 */
public final class KafkaBroker implements KafkaServer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";

    private final KafkaRaftServer server;
    private final int port;
    private final int controllerPort;
    private final Path logDirectory;
    private final boolean temporary;
    private volatile boolean closed;

    private KafkaBroker(KafkaRaftServer server, int port, int controllerPort, Path logDirectory, boolean temporary) {
        this.server = server;
        this.port = port;
        this.controllerPort = controllerPort;
        this.logDirectory = logDirectory;
        this.temporary = temporary;
    }

    /**
     * Starts the broker and returns once it accepts clients.
     *
     * @param port           client (PLAINTEXT) port, or 0 for a free one
     * @param controllerPort controller port, or 0 for a free one
     * @param logDirectory   where data lives and survives restarts, or {@code null} for a temporary directory that
     *                       {@link #close()} deletes
     */
    public static KafkaBroker start(int port, int controllerPort, Path logDirectory) {
        long started = System.nanoTime();
        int brokerPort = port > 0 ? port : Support.freePort();
        int ctrlPort = controllerPort > 0 ? controllerPort : Support.freePort();
        while (ctrlPort == brokerPort) {
            ctrlPort = Support.freePort();
        }
        if (port > 0) {
            Support.requireFree("Kafka", port);
        }
        if (controllerPort > 0) {
            Support.requireFree("Kafka controller", controllerPort);
        }
        boolean temporary = logDirectory == null;
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("bookmarks-kafka-")
                    : Files.createDirectories(logDirectory.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka log directory " + logDirectory, e);
        }
        KafkaRaftServer server = null;
        try {
            Map<String, String> props = config(brokerPort, ctrlPort, dir);
            KafkaConfig config = new KafkaConfig(props, false);
            if (!Files.exists(dir.resolve("meta.properties"))) {
                format(dir, ctrlPort);
            }
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup(); // returns once the broker is unfenced and serving requests
            LOG.info("Kafka (KRaft) started on {}:{} (controller {}) in {} ms (data: {})", HOST, brokerPort, ctrlPort,
                    (System.nanoTime() - started) / 1_000_000, temporary ? "temporary" : dir);
            return new KafkaBroker(server, brokerPort, ctrlPort, dir, temporary);
        } catch (RuntimeException | Error e) {
            if (server != null) {
                try {
                    server.shutdown();
                    server.awaitShutdown();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (temporary) {
                Support.deleteRecursively(dir);
            }
            throw new IllegalStateException("Cannot start the embedded Kafka broker on " + HOST + ":" + brokerPort
                    + " (controller " + ctrlPort + "): " + e.getMessage(), e);
        }
    }

    /** The broker settings (all values as strings, as in a server.properties file). */
    static Map<String, String> config(int port, int controllerPort, Path dir) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", NODE_ID);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        p.put("log.dirs", dir.toString());
        // one node
        p.put("num.partitions", 1);
        p.put("default.replication.factor", 1);
        p.put("min.insync.replicas", 1);
        p.put("offsets.topic.replication.factor", 1);
        p.put("offsets.topic.num.partitions", 5);
        p.put("transaction.state.log.replication.factor", 1);
        p.put("transaction.state.log.min.isr", 1);
        p.put("transaction.state.log.num.partitions", 5);
        p.put("share.coordinator.state.topic.replication.factor", 1);
        p.put("share.coordinator.state.topic.min.isr", 1);
        p.put("share.coordinator.state.topic.num.partitions", 5);
        p.put("auto.create.topics.enable", false);
        p.put("group.initial.rebalance.delay.ms", 0);
        p.put("delete.topic.enable", true);
        // after an unclean stop the old registration must expire before the restarted broker is unfenced: keep the
        // session short (default 9 s)
        p.put("broker.heartbeat.interval.ms", 1000);
        p.put("broker.session.timeout.ms", 4000);
        // small footprint
        p.put("num.network.threads", 2);
        p.put("num.io.threads", 2);
        p.put("background.threads", 2);
        p.put("num.recovery.threads.per.data.dir", 1);
        p.put("num.replica.fetchers", 1);
        p.put("group.coordinator.threads", 1);
        p.put("share.coordinator.threads", 1);
        p.put("log.cleaner.threads", 1);
        p.put("log.cleaner.dedupe.buffer.size", 8L * 1024 * 1024);
        p.put("log.segment.bytes", 64 * 1024 * 1024);
        p.put("log.retention.hours", 168);
        p.put("log.flush.offset.checkpoint.interval.ms", 10_000);
        Map<String, String> strings = new LinkedHashMap<>();
        p.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }

    private static void format(Path dir, int controllerPort) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            // equivalent of: kafka-storage format --standalone --cluster-id <random> --config <these settings>
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(dir.toString())
                    .addDirectory(dir.toString())
                    .setInitialControllers(DynamicVoters.parse(
                            NODE_ID + "@" + HOST + ":" + controllerPort + ":" + Uuid.randomUuid()))
                    .setHasDynamicQuorum(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Formatting the Kafka log directory " + dir + " failed: " + e.getMessage(), e);
        }
        LOG.debug("kafka-storage format: {}", out.toString(StandardCharsets.UTF_8).trim());
    }

    @Override
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logDirectory() {
        return logDirectory;
    }

    /** Stops the broker (a temporary log directory is deleted). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
            LOG.info("Kafka stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("Stopping Kafka failed: {}", e.toString());
        } finally {
            if (temporary) {
                Support.deleteRecursively(logDirectory);
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", controller " + controllerPort + "]";
    }
}
