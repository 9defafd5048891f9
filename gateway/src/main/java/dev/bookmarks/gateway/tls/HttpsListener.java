package dev.bookmarks.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * A second listener, over HTTPS, serving exactly what the plain one serves (the same handler:
 * security, routes, pages). Bookmarklets are clicked on HTTPS pages, and the session cookie is
 * {@code Secure} and HSTS is sent only here.
 *
 * <p>Without a configured key store, a self-signed certificate for {@code localhost},
 * {@code 127.0.0.1} and {@code ::1} is made once with the JDK's keytool into the data directory;
 * browsers warn about it until it is trusted. Production terminates TLS at the ingress instead, or
 * sets {@code BOOKMARKS_GATEWAY_HTTPS_KEY_STORE}.
 */
@Component
@EnableConfigurationProperties(HttpsProperties.class)
public class HttpsListener implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(HttpsListener.class);

	static final String GENERATED_KEY_STORE = "tls/gateway-localhost.p12";

	private final HttpsProperties properties;

	private final HttpHandler handler;

	private volatile WebServer server;

	HttpsListener(HttpsProperties properties, HttpHandler handler) {
		this.properties = properties;
		this.handler = handler;
	}

	@Override
	public void start() {
		if (!properties.enabled()) {
			return;
		}
		Path keyStore = StringUtils.hasText(properties.keyStore()) ? Path.of(properties.keyStore())
				: generatedKeyStore();
		Ssl ssl = new Ssl();
		ssl.setEnabled(true);
		ssl.setKeyStore(keyStore.toAbsolutePath().toUri().toString());
		ssl.setKeyStoreType("PKCS12");
		ssl.setKeyStorePassword(properties.keyStorePassword());
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory(properties.port());
		factory.setSsl(ssl);
		WebServer started = factory.getWebServer(handler);
		started.start();
		server = started;
		log.info("HTTPS on port {} (key store {})", started.getPort(), keyStore);
	}

	@Override
	public void stop() {
		WebServer running = server;
		if (running != null) {
			running.stop();
			server = null;
		}
	}

	@Override
	public boolean isRunning() {
		return server != null;
	}

	/** The port it listens on, -1 when it does not. */
	public int port() {
		WebServer running = server;
		return running == null ? -1 : running.getPort();
	}

	private Path generatedKeyStore() {
		Path file = properties.dataDir().resolve(GENERATED_KEY_STORE).toAbsolutePath().normalize();
		if (Files.isRegularFile(file)) {
			return file;
		}
		try {
			Files.createDirectories(file.getParent());
			Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
			Files.deleteIfExists(temporary);
			Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
			Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "gateway",
					"-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825", "-dname", "CN=localhost",
					"-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1", "-storetype", "PKCS12", "-keystore",
					temporary.toString(), "-storepass", properties.keyStorePassword(), "-keypass",
					properties.keyStorePassword()))
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("keytool failed: " + output);
			}
			Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			log.warn("Generated a self-signed development certificate for localhost in {}", file);
			return file;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not generate the development certificate in " + file, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
