package dev.bookmarks.auth.throttle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The address of the client behind a request, for per-address limits.
 *
 * <p>It is the address of the connection, unless that connection comes from a trusted proxy (the
 * gateway): then it is the nearest {@code X-Forwarded-For} hop that is not a trusted proxy itself,
 * reading from the right. Entries further left were written by the client and prove nothing, so a
 * client cannot pick its own address by sending the header. That holds as long as the trusted
 * pattern matches proxies only: a client whose own address matches it (on the local stack,
 * everyone is on loopback) is skipped like a proxy.
 *
 * <p>The connection's address and headers are read from the container's own request, under every
 * wrapper: with {@code server.forward-headers-strategy: framework} Spring's
 * {@code ForwardedHeaderFilter} answers {@code getRemoteAddr()} from the leftmost, client-written
 * {@code X-Forwarded-For} entry of any request, trusted or not.
 */
@Component
public class ClientAddress {

	private final Pattern trustedProxies;

	@Autowired
	ClientAddress(ThrottlingProperties properties) {
		this(Pattern.compile(properties.trustedProxies()));
	}

	ClientAddress(Pattern trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	public String of(HttpServletRequest request) {
		ServletRequest container = request;
		while (container instanceof ServletRequestWrapper wrapper) {
			container = wrapper.getRequest();
		}
		String address = container.getRemoteAddr();
		if (!isTrustedProxy(address) || !(container instanceof HttpServletRequest http)) {
			return address;
		}
		List<String> hops = new ArrayList<>();
		for (String header : Collections.list(http.getHeaders("X-Forwarded-For"))) {
			for (String hop : header.split(",")) {
				if (!hop.isBlank()) {
					hops.add(hop.strip());
				}
			}
		}
		for (int i = hops.size() - 1; i >= 0; i--) {
			String hop = hops.get(i);
			if (!isTrustedProxy(hop)) {
				return hop;
			}
			address = hop;
		}
		// Only trusted proxies in the chain: the request started at the leftmost of them.
		return address;
	}

	private boolean isTrustedProxy(String address) {
		return address != null && trustedProxies.matcher(address).matches();
	}

}
