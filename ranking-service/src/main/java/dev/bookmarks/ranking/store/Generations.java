package dev.bookmarks.ranking.store;

/**
 * The key generation answering reads, and the one a rebuild is filling (null when none runs).
 */
public record Generations(String serving, String rebuilding) {
}
