package dev.bookmarks.platform.r2dbc;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bookmarks.devinfra.PostgresServer;
import dev.bookmarks.devinfra.TestInfrastructure;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.junit.jupiter.api.Test;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's DatabaseClient reads rows without restoring the request's thread-local values on each of them, on
 * real PostgreSQL, and still answers and writes as before.
 */
class ContextFreeStatementsTest {

	private static final PostgresServer POSTGRES = TestInfrastructure.postgres();

	private static final String URL = POSTGRES.r2dbcUrl(POSTGRES.createDatabase("contextfree"));

	/** Spring Boot's R2DBC wiring, as in a service, without the platform's. */
	private final ApplicationContextRunner plainBoot = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class))
		.withPropertyValues("spring.r2dbc.url=" + URL, "spring.r2dbc.username=" + POSTGRES.user(),
				"spring.r2dbc.password=" + POSTGRES.password());

	private final ApplicationContextRunner service = plainBoot
		.withConfiguration(AutoConfigurations.of(ContextFreeStatementsAutoConfiguration.class));

	@Test
	void rowsAreReadWithoutOpeningTheRequestsObservationForEachOne() {
		service.run(context -> assertThat(scopesOpenedReading500Rows(context.getBean(DatabaseClient.class)))
			.isLessThan(100));
		// What it saves: without it, the driver restores the request's observation around every row.
		plainBoot.run(context -> assertThat(scopesOpenedReading500Rows(context.getBean(DatabaseClient.class)))
			.isGreaterThanOrEqualTo(500));
	}

	private static int scopesOpenedReading500Rows(DatabaseClient db) {
		ObservationRegistry registry = ObservationRegistry.create();
		AtomicInteger scopes = new AtomicInteger();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public boolean supportsContext(Observation.Context ignored) {
				return true;
			}

			@Override
			public void onScopeOpened(Observation.Context ignored) {
				scopes.incrementAndGet();
			}
		});
		Observation request = Observation.start("request", registry);
		List<Integer> rows = db.sql("SELECT generate_series(1, 500)")
			.map(row -> row.get(0, Integer.class))
			.all()
			.collectList()
			.contextWrite(reactorContext -> reactorContext.put(ObservationThreadLocalAccessor.KEY, request))
			.block(Duration.ofSeconds(10));
		request.stop();
		assertThat(rows).hasSize(500).startsWith(1, 2, 3).endsWith(500);
		return scopes.get();
	}

	@Test
	void updatesCountTheirRowsAndTransactionsStillHoldTheirStatements() {
		service.run(context -> {
			DatabaseClient db = context.getBean(DatabaseClient.class);
			String table = "counted_" + UUID.randomUUID().toString().replace("-", "");
			db.sql("CREATE TABLE " + table + " (n int)").then().block(Duration.ofSeconds(10));
			Long inserted = db.sql("INSERT INTO " + table + " SELECT generate_series(1, 7)")
				.fetch()
				.rowsUpdated()
				.block(Duration.ofSeconds(10));
			assertThat(inserted).isEqualTo(7);
			// A rolled-back transaction leaves nothing: its statements ran on its connection.
			TransactionalOperator tx = TransactionalOperator
				.create(new R2dbcTransactionManager(context.getBean(ConnectionFactory.class)));
			Mono<Long> deleteAll = db.sql("DELETE FROM " + table).fetch().rowsUpdated();
			StepVerifier.create(deleteAll.then(Mono.error(new IllegalStateException("roll back"))).as(tx::transactional))
				.verifyErrorMessage("roll back");
			Long left = db.sql("SELECT count(*) FROM " + table)
				.map(row -> row.get(0, Long.class))
				.one()
				.block(Duration.ofSeconds(10));
			assertThat(left).isEqualTo(7);
		});
	}

}
