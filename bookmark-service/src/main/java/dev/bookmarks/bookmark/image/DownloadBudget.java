package dev.bookmarks.bookmark.image;

import dev.bookmarks.bookmark.capacity.Budget;

/** The bytes of downloads in flight (a bean of its own, so it is not mistaken for another budget). */
record DownloadBudget(Budget bytes) {
}
