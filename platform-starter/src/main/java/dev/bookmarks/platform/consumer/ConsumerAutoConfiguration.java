package dev.bookmarks.platform.consumer;

import dev.bookmarks.platform.kafka.ConsumerProperties;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Event reading and, for R2DBC services, the idempotent consumer. */
@AutoConfiguration(after = dev.bookmarks.platform.kafka.KafkaPlatformAutoConfiguration.class, afterName = { "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
		"org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration" })
public class ConsumerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventReader eventReader(JsonMapper json) {
		return new EventReader(json);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnClass(DatabaseClient.class)
	@ConditionalOnBean({ DatabaseClient.class, ReactiveTransactionManager.class })
	ReactiveIdempotentConsumer reactiveIdempotentConsumer(DatabaseClient db, ReactiveTransactionManager transactions,
			EventReader reader, ConsumerProperties properties) {
		return new ReactiveIdempotentConsumer(db, TransactionalOperator.create(transactions), reader,
				properties.applyTimeout());
	}

}
