package dev.bookmarks.devinfra;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same servers in Docker containers (Testcontainers), for machines with a Docker engine. Never
 * required: without an engine, or with {@code BOOKMARKS_TESTCONTAINERS=false}, tests use the
 * embedded servers. Containers are removed by Testcontainers when the JVM exits.
 */
final class ContainerInfrastructure {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerInfrastructure.class);

    static final String SWITCH_ENV = "BOOKMARKS_TESTCONTAINERS";

    private static Boolean available;

    private ContainerInfrastructure() {
    }

    /**
     * Whether a Docker engine answers. Asked only when there is a sign of one (DOCKER_HOST or a
     * socket file), so machines without Docker do not pay for Testcontainers' probing.
     */
    static synchronized boolean available() {
        if (available == null) {
            available = decide();
        }
        return available;
    }

    private static boolean decide() {
        String wanted = TestInfrastructure.setting(SWITCH_ENV, "bookmarks.testcontainers");
        if ("false".equalsIgnoreCase(wanted)) {
            return false;
        }
        boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!hint && !"true".equalsIgnoreCase(wanted)) {
            return false;
        }
        try {
            boolean answers = DockerClientFactory.instance().isDockerAvailable();
            LOG.info("Docker engine {}: tests use {}", answers ? "found" : "not answering",
                    answers ? "Testcontainers" : "the embedded servers");
            return answers;
        } catch (RuntimeException | LinkageError e) {
            LOG.info("No usable Docker engine ({}): tests use the embedded servers", e.toString());
            return false;
        }
    }

    static ExternalPostgresServer postgres() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
        container.start();
        LOG.info("PostgreSQL container on {}:{}", container.getHost(), container.getFirstMappedPort());
        return new ExternalPostgresServer(container.getHost(), container.getFirstMappedPort(), container.getUsername(),
                container.getPassword(), container.getDatabaseName());
    }

    static RedisServer redis() {
        GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
        container.start();
        String host = container.getHost();
        int port = container.getFirstMappedPort();
        LOG.info("Redis container on {}:{}", host, port);
        return new ExternalRedisServer(host, port, "redis://" + host + ":" + port);
    }

    static KafkaServer kafka() {
        KafkaContainer container = new KafkaContainer("apache/kafka:4.1.1");
        container.start();
        LOG.info("Kafka container at {}", container.getBootstrapServers());
        return new ExternalKafkaServer(container.getBootstrapServers());
    }

}
