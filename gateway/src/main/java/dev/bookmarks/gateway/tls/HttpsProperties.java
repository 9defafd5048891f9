package dev.bookmarks.gateway.tls;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The HTTPS listener beside the plain one ({@code bookmarks.gateway.https.*}).
 *
 * @param enabled whether it listens at all
 * @param port its port; 0 for any free one
 * @param keyStore a PKCS#12 key store with the certificate and key; empty: a self-signed
 * certificate for localhost is generated on first run into {@code dataDir}/tls
 * @param keyStorePassword the key store's password (the generated one uses this too)
 * @param dataDir the local data directory
 */
@ConfigurationProperties("bookmarks.gateway.https")
record HttpsProperties(boolean enabled, int port, String keyStore, String keyStorePassword, Path dataDir) {

	HttpsProperties {
		keyStorePassword = keyStorePassword == null || keyStorePassword.isEmpty() ? "bookmarks-dev" : keyStorePassword;
		dataDir = dataDir != null ? dataDir : Path.of(".local/data");
	}

}
