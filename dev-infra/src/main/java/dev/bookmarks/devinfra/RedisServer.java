package dev.bookmarks.devinfra;

/** A running Redis server (embedded, or external when {@code BOOKMARKS_REDIS_URL} is set). */
public interface RedisServer {

    String host();

    int port();

    /** {@code redis://host:port}. */
    String url();
}
