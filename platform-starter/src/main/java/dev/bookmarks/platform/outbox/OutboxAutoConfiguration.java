package dev.bookmarks.platform.outbox;

import java.time.Clock;
import java.time.Duration;

import dev.bookmarks.platform.tracing.EventTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional outbox and its relay, for whichever database access the service has: R2DBC
 * ({@link ReactiveOutbox}) or JDBC ({@link JdbcOutbox}).
 */
@AutoConfiguration(afterName = { "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
		"org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
		"org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventSerializer eventSerializer(JsonMapper json, ObjectProvider<Clock> clock) {
		return new EventSerializer(json, clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	EventTracing eventTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new EventTracing(tracer.getIfAvailable(), propagator.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	OutboxMetrics outboxMetrics(ObjectProvider<MeterRegistry> registry) {
		return new OutboxMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DatabaseClient.class)
	@ConditionalOnBean({ DatabaseClient.class, ReactiveTransactionManager.class })
	static class Reactive {

		@Bean
		@ConditionalOnMissingBean
		ReactiveOutbox reactiveOutbox(DatabaseClient db, EventSerializer serializer, EventTracing tracing) {
			return new ReactiveOutbox(db, serializer, tracing);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnProperty(name = "bookmarks.outbox.relay-enabled", matchIfMissing = true)
		ReactiveOutboxRelay reactiveOutboxRelay(DatabaseClient db, ReactiveTransactionManager transactions,
				KafkaTemplate<String, String> kafka, OutboxProperties properties, OutboxMetrics metrics,
				EventTracing tracing) {
			return new ReactiveOutboxRelay(db, TransactionalOperator.create(transactions), kafka, properties, metrics,
					tracing);
		}

		@Bean
		@ConditionalOnMissingBean
		OutboxBacklog outboxBacklog(DatabaseClient db, OutboxMetrics metrics) {
			return new OutboxBacklog(() -> db.sql(OutboxBacklog.SAMPLE)
				.map(row -> new OutboxBacklog.Sample(row.get("pending", Long.class), row.get("oldest_millis", Long.class),
						row.get("parked", Long.class)))
				.one()
				.block(Duration.ofSeconds(10)), metrics);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcTemplate.class)
	@ConditionalOnBean({ JdbcTemplate.class, PlatformTransactionManager.class })
	static class Jdbc {

		@Bean
		@ConditionalOnMissingBean
		JdbcOutbox jdbcOutbox(JdbcTemplate jdbc, EventSerializer serializer, EventTracing tracing) {
			return new JdbcOutbox(jdbc, serializer, tracing);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnProperty(name = "bookmarks.outbox.relay-enabled", matchIfMissing = true)
		JdbcOutboxRelay jdbcOutboxRelay(JdbcTemplate jdbc, PlatformTransactionManager transactions,
				KafkaTemplate<String, String> kafka, OutboxProperties properties, OutboxMetrics metrics,
				EventTracing tracing) {
			return new JdbcOutboxRelay(jdbc, new TransactionTemplate(transactions), kafka, properties, metrics, tracing);
		}

		@Bean
		@ConditionalOnMissingBean
		OutboxBacklog outboxBacklog(JdbcTemplate jdbc, OutboxMetrics metrics) {
			return new OutboxBacklog(() -> jdbc.queryForObject(OutboxBacklog.SAMPLE, (rs, i) -> new OutboxBacklog.Sample(
					rs.getLong("pending"), rs.getLong("oldest_millis"), rs.getLong("parked"))), metrics);
		}

	}

}
