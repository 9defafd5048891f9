package dev.bookmarks.devinfra;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

/** JDBC plumbing shared by the embedded and the external PostgreSQL server. */
abstract class AbstractPostgresServer implements PostgresServer {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The database to connect to for administrative statements. */
    String maintenanceDatabase() {
        return "postgres";
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    @Override
    public String r2dbcUrl(String database) {
        return "r2dbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    @Override
    public String createDatabase(String prefix) {
        String base = sanitize(prefix);
        String suffix = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        if (suffix.length() > 10) {
            suffix = suffix.substring(0, 10);
        }
        if (base.length() > 50) {
            base = base.substring(0, 50);
        }
        String name = base + "_" + suffix;
        execute("CREATE DATABASE " + name);
        return name;
    }

    /** Creates {@code name} unless it exists; returns whether it was created. */
    boolean ensureDatabase(String name) {
        checkName(name);
        try (Connection c = connect(maintenanceDatabase())) {
            if (exists(c, name)) {
                return false;
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
                return true;
            } catch (SQLException e) {
                if (exists(c, name)) { // created concurrently
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + " on " + host() + ":" + port() + ": "
                    + e.getMessage(), e);
        }
    }

    void dropDatabase(String name) {
        checkName(name);
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user());
        if (!password().isEmpty()) {
            props.setProperty("password", password());
        }
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    private void execute(String sql) {
        try (Connection c = connect(maintenanceDatabase()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + host() + ":" + port() + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String sanitize(String prefix) {
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (p.isEmpty() || !Character.isLetter(p.charAt(0)) && p.charAt(0) != '_') {
            p = "db_" + p;
        }
        return p;
    }

    static void checkName(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid database name '" + name + "': use [a-z_][a-z0-9_]*, at most 63 chars");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + user() + "@" + host() + ":" + port() + "]";
    }
}
