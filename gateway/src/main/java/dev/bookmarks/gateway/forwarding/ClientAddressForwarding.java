package dev.bookmarks.gateway.forwarding;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells the services who the client is: {@code X-Forwarded-For} as a proxy writes it, the hops the
 * request arrived with (only when it came through a trusted proxy, such as the ingress) followed by
 * the address the gateway itself saw. A service that trusts the gateway reads it from the right
 * and takes the first address that is not a trusted proxy; whatever a client wrote itself stays to
 * the left of that and is never believed.
 *
 * <p>Needed because Spring Cloud Gateway's own {@code XForwardedHeadersFilter} keeps only the
 * addresses that match {@code trusted-proxies}: the client's address never reached a service, so
 * auth-service's per-address limits (logins, registrations, password resets) counted every
 * client as one. Runs after that filter and replaces its {@code X-Forwarded-For}.
 *
 * <p>The services learn the public origin from {@code X-Forwarded-*} alone. The standard
 * {@code Forwarded} header (RFC 7239), which they would believe first, is never passed on: the
 * gateway's own filter that wrote a second copy of the same facts into it is off (it cost a
 * header copy per request), so whatever a client wrote there is dropped here.
 */
@Component
class ClientAddressForwarding implements HttpHeadersFilter, Ordered {

	static final String X_FORWARDED_FOR = "X-Forwarded-For";

	static final String FORWARDED = "Forwarded";

	private final Pattern trustedProxies;

	ClientAddressForwarding(@Value("${spring.cloud.gateway.server.webflux.trusted-proxies:}") String trustedProxies) {
		this.trustedProxies = trustedProxies.isBlank() ? null : Pattern.compile(trustedProxies);
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		HttpHeaders updated = new HttpHeaders();
		input.forEach((name, values) -> {
			if (!FORWARDED.equalsIgnoreCase(name)) {
				updated.addAll(name, values);
			}
		});
		InetSocketAddress peer = exchange.getRequest().getRemoteAddress();
		if (peer == null || peer.getAddress() == null) {
			return updated;
		}
		String peerAddress = peer.getAddress().getHostAddress();
		List<String> hops = new ArrayList<>();
		if (isTrusted(peerAddress)) {
			for (String header : exchange.getRequest().getHeaders().getOrEmpty(X_FORWARDED_FOR)) {
				for (String hop : header.split(",")) {
					if (!hop.isBlank()) {
						hops.add(hop.strip());
					}
				}
			}
		}
		hops.add(peerAddress);
		updated.set(X_FORWARDED_FOR, String.join(", ", hops));
		return updated;
	}

	private boolean isTrusted(String address) {
		return trustedProxies != null && trustedProxies.matcher(address).matches();
	}

	/** After {@code XForwardedHeadersFilter} (order 0). */
	@Override
	public int getOrder() {
		return 1;
	}

}
