package dev.bookmarks.auth.account;

/**
 * Published (as a Spring application event) inside the transaction that creates an account, so
 * that listeners' changes commit or roll back with it.
 */
public record AccountCreated(Account account) {
}
