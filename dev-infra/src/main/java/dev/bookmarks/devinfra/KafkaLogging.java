package dev.bookmarks.devinfra;

import java.util.List;

import org.slf4j.LoggerFactory;

/**
 * Keeps the in-process broker's INFO chatter out of test output: when the SLF4J backend is Logback, broker-side
 * loggers without an explicitly configured level are set to WARN (client loggers are left alone, except the
 * config dumps of {@code AbstractConfig}). Without Logback
 * (e.g. the launcher with slf4j-simple) this does nothing; configure levels there with system properties.
 */
final class KafkaLogging {

    private static final List<String> BROKER_LOGGERS = List.of("kafka", "state.change.logger",
            "org.apache.kafka.server", "org.apache.kafka.controller", "org.apache.kafka.raft",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.storage",
            "org.apache.kafka.coordinator", "org.apache.kafka.snapshot", "org.apache.kafka.queue",
            "org.apache.kafka.network", "org.apache.kafka.security", "org.apache.kafka.timeline",
            // the broker logs its ~300-line "KafkaConfig values" dump several times through this logger (so do
            // clients, for their own configs; unknown-setting warnings still show)
            "org.apache.kafka.common.config.AbstractConfig");

    private KafkaLogging() {
    }

    static void quietBroker() {
        for (String name : BROKER_LOGGERS) {
            Object logger = LoggerFactory.getLogger(name);
            try {
                Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", false, logger.getClass().getClassLoader());
                if (logger.getClass().getMethod("getLevel").invoke(logger) == null) {
                    logger.getClass().getMethod("setLevel", levelClass).invoke(logger, levelClass.getField("WARN").get(null));
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return; // not Logback
            }
        }
    }
}
