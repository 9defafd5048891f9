package dev.bookmarks.gateway.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The calls to auth-service survive its keep-alive timeout: a server that, like Tomcat at the
 * moment its idle timeout fires, takes a request on a connection idle for longer than that and
 * closes it without an answer. A pool that keeps idle connections forever sends the token request
 * there and fails ("Connection prematurely closed BEFORE response"); auth-service's pool has given
 * the connection up and opens a new one.
 */
class AuthServiceConnectionsTest {

	private static final Duration SERVER_KEEP_ALIVE = Duration.ofMillis(400);

	private ServerSocket server;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final AtomicInteger connectionsOpened = new AtomicInteger();

	@BeforeEach
	void startServer() throws IOException {
		server = new ServerSocket(0);
		threads.submit(() -> {
			while (!server.isClosed()) {
				try {
					Socket socket = server.accept();
					connectionsOpened.incrementAndGet();
					threads.submit(() -> serve(socket));
				}
				catch (IOException ex) {
					return;
				}
			}
		});
	}

	@AfterEach
	void stopServer() throws IOException {
		server.close();
		threads.shutdownNow();
	}

	@Test
	void theMaxIdleTimeIsWellUnderTomcatsKeepAlive() {
		assertThat(AuthServiceConnections.MAX_IDLE).isLessThan(Duration.ofSeconds(60));
	}

	@Test
	void aTokenRequestAfterAnIdleSpellLongerThanTheServersKeepAliveGoesOnANewConnection() throws Exception {
		AuthServiceConnections connections = new AuthServiceConnections(SERVER_KEEP_ALIVE.dividedBy(4));
		try {
			WebClient client = connections.webClient();
			assertThat(token(client)).isEqualTo("{}");
			int beforeIdle = connectionsOpened.get();
			idle();
			assertThat(token(client)).isEqualTo("{}");
			// The connection idle past the pool's limit was given up, so the request went on a new one
			// (and was answered) instead of on the one the server had dropped.
			assertThat(connectionsOpened).hasValue(beforeIdle + 1);
		}
		finally {
			connections.destroy();
		}
	}

	@Test
	void aPoolThatKeepsIdleConnectionsFailsThere() throws Exception {
		AuthServiceConnections connections = new AuthServiceConnections(Duration.ofMinutes(10));
		try {
			WebClient client = connections.webClient();
			assertThat(token(client)).isEqualTo("{}");
			idle();
			assertThatThrownBy(() -> token(client)).hasMessageContaining("prematurely closed");
		}
		finally {
			connections.destroy();
		}
	}

	private String token(WebClient client) {
		return client.post()
			.uri("http://127.0.0.1:" + server.getLocalPort() + "/auth/oauth2/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=authorization_code&code=abc")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
	}

	/** The quiet spell itself is what is tested: no condition to poll for. */
	private static void idle() throws InterruptedException {
		Thread.sleep(SERVER_KEEP_ALIVE.plusMillis(200).toMillis());
	}

	/** HTTP/1.1 keep-alive; a request on a connection idle longer than the keep-alive is dropped unanswered. */
	private void serve(Socket socket) {
		try (socket) {
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1));
			OutputStream out = socket.getOutputStream();
			long lastAnswer = System.nanoTime();
			while (true) {
				String line = in.readLine();
				if (line == null) {
					return;
				}
				int length = 0;
				while (!(line = in.readLine()).isEmpty()) {
					if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
						length = Integer.parseInt(line.substring(15).trim());
					}
				}
				in.skip(length);
				if (Duration.ofNanos(System.nanoTime() - lastAnswer).compareTo(SERVER_KEEP_ALIVE) > 0) {
					return;
				}
				out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
					.getBytes(ISO_8859_1));
				out.flush();
				lastAnswer = System.nanoTime();
			}
		}
		catch (IOException ex) {
			// the client went away
		}
	}

}
