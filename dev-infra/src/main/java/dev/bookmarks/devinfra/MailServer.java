package dev.bookmarks.devinfra;

/** An SMTP server for the services' mail (embedded GreenMail, or external when {@code BOOKMARKS_SMTP_HOST} is set). */
public interface MailServer {

    String host();

    int smtpPort();

    /** Where sent mail can be read over HTTP, or {@code null} for an external server. */
    String apiUrl();
}
