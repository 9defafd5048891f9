package dev.bookmarks.devinfra;

/** A running Kafka broker (embedded KRaft, or external when {@code BOOKMARKS_KAFKA_BOOTSTRAP} is set). */
public interface KafkaServer {

    /** {@code host:port[,host:port...]}, for {@code bootstrap.servers}. */
    String bootstrapServers();
}
