package dev.bookmarks.devinfra;

/** An already running SMTP server given as {@code host[:port]} (port 25 when left out). */
record ExternalMailServer(String host, int smtpPort) implements MailServer {

    static ExternalMailServer parse(String hostAndPort) {
        String value = hostAndPort.trim();
        int colon = value.lastIndexOf(':');
        if (value.isEmpty() || colon == 0 || value.indexOf(':') != colon) {
            throw new IllegalArgumentException("Invalid SMTP server '" + hostAndPort + "': expected host[:port]");
        }
        if (colon < 0) {
            return new ExternalMailServer(value, 25);
        }
        try {
            return new ExternalMailServer(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid SMTP port in '" + hostAndPort + "'", e);
        }
    }

    @Override
    public String apiUrl() {
        return null;
    }
}
