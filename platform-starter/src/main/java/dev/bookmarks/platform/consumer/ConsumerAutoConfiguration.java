package dev.bookmarks.platform.consumer;

import java.time.Duration;

import dev.bookmarks.platform.kafka.ConsumerProperties;
import dev.bookmarks.platform.kafka.KafkaPlatformAutoConfiguration;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Event reading and, for R2DBC services, the idempotent consumer. */
@AutoConfiguration(after = KafkaPlatformAutoConfiguration.class,
		afterName = { "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
				"org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration" })
@ConditionalOnClass(KafkaTemplate.class)
public class ConsumerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventReader eventReader(JsonMapper json) {
		return new EventReader(json);
	}

	@Bean
	@ConditionalOnMissingBean
	BatchTracing batchTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new BatchTracing(tracer, propagator);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DatabaseClient.class)
	@ConditionalOnBean({ DatabaseClient.class, ReactiveTransactionManager.class })
	static class Reactive {

		@Bean
		@ConditionalOnMissingBean
		ReactiveIdempotentConsumer reactiveIdempotentConsumer(DatabaseClient db,
				ReactiveTransactionManager transactions, EventReader reader, ConsumerProperties properties,
				BatchTracing tracing) {
			return new ReactiveIdempotentConsumer(db, TransactionalOperator.create(transactions), reader,
					properties.applyTimeout(), tracing);
		}

		@Bean
		@ConditionalOnMissingBean
		ProcessedEventCleanup processedEventCleanup(DatabaseClient db, ConsumerProperties properties) {
			return new ProcessedEventCleanup(db, properties.processedRetention(), Duration.ofHours(1));
		}

	}

}
