package dev.bookmarks.devinfra;

/**
 * A running PostgreSQL server (embedded, or external when {@code BOOKMARKS_POSTGRES_URL} is set).
 *
 * <p>The URLs returned by {@link #jdbcUrl(String)} and {@link #r2dbcUrl(String)} carry no credentials: pass
 * {@link #user()} and {@link #password()} separately (e.g. {@code spring.r2dbc.username}/{@code password}).
 */
public interface PostgresServer {

    String host();

    int port();

    String user();

    /** The password, {@code ""} when there is none (the embedded server trusts local connections). */
    String password();

    /**
     * Creates a fresh database named {@code <prefix>_<random suffix>} and returns its name. Meant for one database
     * per test context. The prefix is lower-cased and anything but {@code [a-z0-9_]} becomes {@code _}.
     */
    String createDatabase(String prefix);

    /** {@code jdbc:postgresql://host:port/database}. */
    String jdbcUrl(String database);

    /** {@code r2dbc:postgresql://host:port/database}. */
    String r2dbcUrl(String database);
}
