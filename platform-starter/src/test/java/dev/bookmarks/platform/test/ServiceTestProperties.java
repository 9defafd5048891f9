package dev.bookmarks.platform.test;

import dev.bookmarks.devinfra.PostgresServer;
import dev.bookmarks.devinfra.TestInfrastructure;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a service under test at real infrastructure: a fresh PostgreSQL database, the shared
 * Redis and Kafka broker (embedded, or external when BOOKMARKS_* variables name them), and the test
 * token issuer.
 */
public final class ServiceTestProperties {

	private ServiceTestProperties() {
	}

	/** A fresh database for R2DBC and Flyway; returns its name. */
	public static String r2dbc(DynamicPropertyRegistry registry, String databasePrefix) {
		PostgresServer postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase(databasePrefix);
		registry.add("spring.r2dbc.url", () -> postgres.r2dbcUrl(database));
		registry.add("spring.r2dbc.username", postgres::user);
		registry.add("spring.r2dbc.password", postgres::password);
		flyway(registry, postgres, database);
		return database;
	}

	/** A fresh database for JDBC (Hikari) and Flyway; returns its name. */
	public static String jdbc(DynamicPropertyRegistry registry, String databasePrefix) {
		PostgresServer postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase(databasePrefix);
		registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
		registry.add("spring.datasource.username", postgres::user);
		registry.add("spring.datasource.password", postgres::password);
		flyway(registry, postgres, database);
		return database;
	}

	private static void flyway(DynamicPropertyRegistry registry, PostgresServer postgres, String database) {
		registry.add("spring.flyway.url", () -> postgres.jdbcUrl(database));
		registry.add("spring.flyway.user", postgres::user);
		registry.add("spring.flyway.password", postgres::password);
	}

	public static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> TestInfrastructure.kafka().bootstrapServers());
	}

	public static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> TestInfrastructure.redis().url());
	}

	public static void tokens(DynamicPropertyRegistry registry) {
		registry.add("bookmarks.security.issuer", () -> TestTokenIssuer.ISSUER);
		registry.add("bookmarks.security.jwk-set-uri", () -> TestTokenIssuer.shared().jwkSetUri());
	}

}
