package dev.bookmarks.devinfra;

/** An already running Kafka cluster given by its bootstrap servers. */
record ExternalKafkaServer(String bootstrapServers) implements KafkaServer {

    static ExternalKafkaServer parse(String bootstrap) {
        String value = bootstrap.trim();
        if (value.isEmpty() || !value.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
            throw new IllegalArgumentException("Invalid Kafka bootstrap servers '" + bootstrap + "': expected host:port[,host:port]");
        }
        return new ExternalKafkaServer(value);
    }
}
