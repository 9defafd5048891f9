package dev.bookmarks.gateway.forwarding;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressForwardingTest {

	private final ClientAddressForwarding forwarding = new ClientAddressForwarding("127\\.0\\.0\\.1|10\\.0\\.0\\.\\d+");

	@Test
	void aDirectClientIsForwardedAsItsConnectionsAddressAndWhatItWroteIsDropped() {
		assertThat(forwardedFor("203.0.113.7", "6.6.6.6")).isEqualTo("203.0.113.7");
		assertThat(forwardedFor("203.0.113.7", null)).isEqualTo("203.0.113.7");
	}

	@Test
	void behindATrustedProxyItsHopsAreKeptAndThePeerIsAppended() {
		assertThat(forwardedFor("10.0.0.3", "6.6.6.6, 198.51.100.1")).isEqualTo("6.6.6.6, 198.51.100.1, 10.0.0.3");
	}

	@Test
	void theOtherHeadersPassAsTheyAre() {
		HttpHeaders input = new HttpHeaders();
		input.add("X-Forwarded-Host", "localhost:8080");
		input.add("X-Forwarded-For", "127.0.0.1");

		HttpHeaders output = forwarding.filter(input, exchange("203.0.113.7", null));

		assertThat(output.getFirst("X-Forwarded-Host")).isEqualTo("localhost:8080");
		assertThat(output.get("X-Forwarded-For")).containsExactly("203.0.113.7");
	}

	private String forwardedFor(String peer, String forwardedFor) {
		return forwarding.filter(new HttpHeaders(), exchange(peer, forwardedFor)).getFirst("X-Forwarded-For");
	}

	private static MockServerWebExchange exchange(String peer, String forwardedFor) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/api/accounts")
			.remoteAddress(new InetSocketAddress(peer, 50000));
		if (forwardedFor != null) {
			request.header("X-Forwarded-For", forwardedFor);
		}
		return MockServerWebExchange.from(request);
	}

}
