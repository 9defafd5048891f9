package dev.bookmarks.platform.netty;

import java.time.Duration;

import dev.bookmarks.devinfra.PostgresServer;
import dev.bookmarks.devinfra.TestInfrastructure;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpResources;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/** A service's PostgreSQL connections run on the HTTP server's event loops, on real PostgreSQL. */
class ServerLoopConnectionsTest {

	private static final PostgresServer POSTGRES = TestInfrastructure.postgres();

	private static final String URL = POSTGRES.r2dbcUrl(POSTGRES.createDatabase("serverloops"));

	/** Spring Boot's R2DBC wiring, as in a service, without the platform's; no pool, so each statement connects. */
	private final ApplicationContextRunner plainBoot = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class))
		.withPropertyValues("spring.r2dbc.url=" + URL, "spring.r2dbc.username=" + POSTGRES.user(),
				"spring.r2dbc.password=" + POSTGRES.password(), "spring.r2dbc.pool.enabled=false");

	private final ApplicationContextRunner service = plainBoot
		.withConfiguration(AutoConfigurations.of(ServerLoopConnections.class));

	@Test
	void statementsAnswerOnTheHttpServersEventLoops() {
		service.run(context -> assertThat(threadThatReadsARow(context.getBean(DatabaseClient.class)))
			.startsWith("reactor-http-"));
		// What it changes: without it, the driver answers on Reactor Netty's separate TCP loops.
		plainBoot.run(context -> assertThat(threadThatReadsARow(context.getBean(DatabaseClient.class)))
			.startsWith("reactor-tcp-"));
	}

	@Test
	void connectionsStillOpenAfterTheHttpLoopsWereStoppedAndCreatedAgain() {
		service.run(context -> {
			DatabaseClient db = context.getBean(DatabaseClient.class);
			assertThat(threadThatReadsARow(db)).startsWith("reactor-http-");
			// What Spring does when an application context stops (tests run several in one JVM).
			HttpResources.disposeLoopsAndConnections();
			assertThat(threadThatReadsARow(db)).startsWith("reactor-http-");
		});
	}

	private static String threadThatReadsARow(DatabaseClient db) {
		return db.sql("SELECT 1")
			.map(row -> Thread.currentThread().getName() + ":" + row.get(0, Integer.class))
			.one()
			.map(answer -> {
				assertThat(answer).endsWith(":1");
				return answer;
			})
			.block(Duration.ofSeconds(10));
	}

}
