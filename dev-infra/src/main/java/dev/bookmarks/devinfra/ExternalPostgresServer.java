package dev.bookmarks.devinfra;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** An already running PostgreSQL server given as {@code postgresql://user[:password]@host[:port][/database]}. */
final class ExternalPostgresServer extends AbstractPostgresServer {

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String maintenanceDatabase;

    ExternalPostgresServer(String host, int port, String user, String password, String maintenanceDatabase) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.maintenanceDatabase = maintenanceDatabase;
    }

    /** Parses {@code postgresql://user[:password]@host[:port][/database]} ({@code postgres://} works too). */
    static ExternalPostgresServer parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid PostgreSQL URL '" + url + "': " + e.getMessage(), e);
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("Invalid PostgreSQL URL '" + url
                    + "': expected postgresql://user[:password]@host[:port], e.g. postgresql://postgres@127.0.0.1:5432");
        }
        String user = "postgres";
        String password = "";
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        }
        String path = uri.getPath();
        String database = path == null || path.length() <= 1 ? "postgres" : path.substring(1);
        return new ExternalPostgresServer(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, user, password, database);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    String maintenanceDatabase() {
        return maintenanceDatabase;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }
}
