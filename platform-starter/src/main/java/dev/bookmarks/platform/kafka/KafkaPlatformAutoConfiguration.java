package dev.bookmarks.platform.kafka;

import java.util.ArrayList;
import java.util.List;

import dev.bookmarks.events.Topics;
import dev.bookmarks.platform.consumer.MalformedEventException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Topics created by the application, and the consumer error policy: retry with back-off, then
 * publish the record with the failure reason (Spring's {@code kafka_dlt-exception-*} headers) to
 * {@code <topic>.DLT} on the same partition, count it, and move on.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties({ TopicProperties.class, ConsumerProperties.class })
public class KafkaPlatformAutoConfiguration {

	static final List<String> TOPICS = List.of(Topics.USER_EVENTS, Topics.IMAGE_EVENTS, Topics.FOLLOW_EVENTS,
			Topics.IMAGE_VIEWS);

	@Bean
	KafkaAdmin.NewTopics bookmarksTopics(TopicProperties properties) {
		List<NewTopic> topics = new ArrayList<>();
		for (String name : TOPICS) {
			topics.add(topic(name, properties));
			topics.add(topic(Topics.deadLetterOf(name), properties));
		}
		return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
	}

	private static NewTopic topic(String name, TopicProperties properties) {
		return TopicBuilder.name(name)
			.partitions(properties.partitions())
			.replicas(properties.replicationFactor())
			.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, properties.minInsyncReplicas().toString())
			.build();
	}

	@Bean
	@ConditionalOnMissingBean(CommonErrorHandler.class)
	DefaultErrorHandler bookmarksErrorHandler(KafkaTemplate<Object, Object> template, ConsumerProperties properties,
			ObjectProvider<MeterRegistry> registry) {
		DeadLetterPublishingRecoverer recoverer = new CountingDeadLetterRecoverer(template,
				registry.getIfAvailable(SimpleMeterRegistry::new), TOPICS);
		ExponentialBackOff backOff = new ExponentialBackOff(properties.initialBackoff().toMillis(), 2.0);
		backOff.setMaxInterval(properties.maxBackoff().toMillis());
		backOff.setMaxAttempts(properties.retries());
		DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
		handler.addNotRetryableExceptions(MalformedEventException.class);
		return handler;
	}

}
