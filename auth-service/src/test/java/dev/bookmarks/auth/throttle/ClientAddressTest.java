package dev.bookmarks.auth.throttle;

import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.ForwardedHeaderFilter;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

	private static final Pattern LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|0:0:0:0:0:0:0:1|::1");

	private final ClientAddress clientAddress = new ClientAddress(LOOPBACK);

	@Test
	void aDirectClientIsItsConnectionsAddressWhateverItsHeadersSay() {
		assertThat(clientAddress.of(request("203.0.113.7", "198.51.100.1"))).isEqualTo("203.0.113.7");
	}

	@Test
	void behindATrustedProxyTheClientIsTheHopTheProxyAdded() {
		assertThat(clientAddress.of(request("127.0.0.1", "198.51.100.1"))).isEqualTo("198.51.100.1");
		assertThat(clientAddress.of(request("127.0.0.1", "6.6.6.6, 198.51.100.1"))).isEqualTo("198.51.100.1");
		MockHttpServletRequest twoHeaders = request("::1", "6.6.6.6");
		twoHeaders.addHeader("X-Forwarded-For", "198.51.100.1");
		assertThat(clientAddress.of(twoHeaders)).isEqualTo("198.51.100.1");
	}

	@Test
	void trustedProxiesInTheChainAreSkippedFromTheRight() {
		ClientAddress twoProxies = new ClientAddress(Pattern.compile(LOOPBACK.pattern() + "|10\\.\\d+\\.\\d+\\.\\d+"));

		assertThat(twoProxies.of(request("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.5"))).isEqualTo("198.51.100.1");
		assertThat(twoProxies.of(request("127.0.0.1", "10.0.0.5"))).isEqualTo("10.0.0.5");
	}

	@Test
	void aTrustedProxyWithoutTheHeaderIsTheClient() {
		assertThat(clientAddress.of(request("127.0.0.1", null))).isEqualTo("127.0.0.1");
	}

	/**
	 * With {@code server.forward-headers-strategy: framework}, Spring's filter answers
	 * {@code getRemoteAddr()} from the header of anyone; the connection's own address is still used.
	 */
	@Test
	void theForwardedHeaderFilterDoesNotLetADirectClientPickItsAddress() throws Exception {
		AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
		new ForwardedHeaderFilter().doFilter(request("203.0.113.7", "6.6.6.6"), new MockHttpServletResponse(),
				new MockFilterChain() {
					@Override
					public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
						seen.set((HttpServletRequest) request);
					}
				});

		assertThat(seen.get().getRemoteAddr()).isEqualTo("6.6.6.6");
		assertThat(clientAddress.of(seen.get())).isEqualTo("203.0.113.7");
	}

	private static MockHttpServletRequest request(String remoteAddress, String forwardedFor) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/accounts");
		request.setRemoteAddr(remoteAddress);
		if (forwardedFor != null) {
			request.addHeader("X-Forwarded-For", forwardedFor);
		}
		return request;
	}

}
