package dev.bookmarks.platform.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the application creates its topics. The defaults suit one local broker; a cluster sets
 * e.g. 6 partitions, replication 3 and min.insync.replicas 2.
 *
 * @param partitions partitions per topic (dead-letter topics get the same number, since a dead
 * letter goes to the partition of its original)
 * @param replicationFactor replicas per partition
 * @param minInsyncReplicas replicas that must acknowledge an {@code acks=all} write
 */
@ConfigurationProperties("bookmarks.kafka.topics")
public record TopicProperties(Integer partitions, Short replicationFactor, Integer minInsyncReplicas) {

	public TopicProperties {
		partitions = partitions != null ? partitions : 3;
		replicationFactor = replicationFactor != null ? replicationFactor : 1;
		minInsyncReplicas = minInsyncReplicas != null ? minInsyncReplicas : 1;
	}

}
