package dev.bookmarks.devinfra;

import java.net.URI;

/** An already running Redis given as {@code redis://[user:password@]host[:port][/db]}. */
record ExternalRedisServer(String host, int port, String url) implements RedisServer {

    static ExternalRedisServer parse(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid Redis URL '" + url + "': " + e.getMessage(), e);
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("Invalid Redis URL '" + url + "': expected redis://host:port");
        }
        return new ExternalRedisServer(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379, trimmed);
    }
}
