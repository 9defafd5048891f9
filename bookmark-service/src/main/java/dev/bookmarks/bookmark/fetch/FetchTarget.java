package dev.bookmarks.bookmark.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * A URL the server was asked to fetch, checked for what can be judged without the network: scheme,
 * credentials, port, and a host that is an IP address in any spelling a browser accepts (decimal
 * {@code 2130706433}, octal {@code 0177.0.0.1}, hex {@code 0x7f.1}, bracketed IPv6).
 *
 * @param uri the normalized URL
 * @param host the host name, lower case, without brackets
 * @param port the port, defaulted from the scheme
 * @param literal the address when the host is an IP literal, else {@code null}
 */
public record FetchTarget(URI uri, String host, int port, InetAddress literal) {

	public boolean secure() {
		return "https".equals(uri.getScheme());
	}

	/** The path and query to request, never empty. */
	public String pathAndQuery() {
		String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
		return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
	}

	/** The Host header value. */
	public String hostHeader() {
		String name = host.contains(":") ? "[" + host + "]" : host;
		boolean defaultPort = (secure() && port == 443) || (!secure() && port == 80);
		return defaultPort ? name : name + ":" + port;
	}

	public static FetchTarget parse(String url, Set<Integer> allowedPorts) {
		if (url == null || url.isBlank()) {
			throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "is required");
		}
		if (url.length() > 2000) {
			throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "must be at most 2000 characters");
		}
		URI uri;
		try {
			uri = new URI(url.trim()).normalize();
		}
		catch (URISyntaxException ex) {
			throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "is not a valid URL");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "must be an http or https URL");
		}
		if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
			throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "must not contain credentials");
		}
		String host = uri.getHost();
		if (host == null || host.isEmpty()) {
			throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "has no valid host");
		}
		host = host.toLowerCase(Locale.ROOT);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		while (host.endsWith(".")) {
			host = host.substring(0, host.length() - 1);
		}
		int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
		if (!allowedPorts.contains(port)) {
			throw new FetchRefusedException(FetchRefusedException.Reason.PORT, "uses port " + port + "; only " + allowedPorts + " are allowed");
		}
		if (host.equals("localhost") || host.endsWith(".localhost")) {
			throw new FetchRefusedException(FetchRefusedException.Reason.PRIVATE_ADDRESS, FetchRefusedException.NOT_PUBLIC);
		}
		InetAddress literal = literal(host);
		URI normalized;
		try {
			normalized = new URI(scheme, null, host.contains(":") ? "[" + host + "]" : host, port == defaultPort(scheme) ? -1 : port,
					uri.getPath(), uri.getQuery(), null);
		}
		catch (URISyntaxException ex) {
			throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "is not a valid URL");
		}
		return new FetchTarget(normalized, host, port, literal);
	}

	private static int defaultPort(String scheme) {
		return scheme.equals("https") ? 443 : 80;
	}

	/** The address a host names by itself (IPv6, or IPv4 in any WHATWG spelling), else null. */
	static InetAddress literal(String host) {
		try {
			if (host.contains(":")) {
				return InetAddress.getByAddress(host, Cidr.literal(host));
			}
			byte[] ipv4 = looseIpv4(host);
			return ipv4 == null ? null : InetAddress.getByAddress(host, ipv4);
		}
		catch (UnknownHostException | IllegalArgumentException ex) {
			throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "has an invalid IP address");
		}
	}

	/**
	 * The WHATWG URL standard's IPv4 parser: one to four dot-separated numbers, each decimal, octal
	 * (leading 0) or hex (0x), the last filling the remaining bytes. Returns null for a host name.
	 */
	static byte[] looseIpv4(String host) {
		String[] parts = host.split("\\.", -1);
		if (parts.length > 4) {
			return null;
		}
		long[] numbers = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			Long number = number(parts[i]);
			if (number == null) {
				return null;
			}
			numbers[i] = number;
		}
		for (int i = 0; i < numbers.length - 1; i++) {
			if (numbers[i] > 255) {
				throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "has an invalid IP address");
			}
		}
		long last = numbers[numbers.length - 1];
		if (last >= 1L << (8 * (5 - numbers.length))) {
			throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "has an invalid IP address");
		}
		long value = last;
		for (int i = 0; i < numbers.length - 1; i++) {
			value += numbers[i] << (8 * (3 - i));
		}
		return new byte[] { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
	}

	private static Long number(String part) {
		if (part.isEmpty()) {
			return null;
		}
		int radix = 10;
		String digits = part;
		if (part.startsWith("0x") || part.startsWith("0X")) {
			radix = 16;
			digits = part.substring(2);
			if (digits.isEmpty()) {
				return 0L;
			}
		}
		else if (part.length() > 1 && part.startsWith("0")) {
			radix = 8;
			digits = part.substring(1);
		}
		if (digits.length() > 12) {
			throw new FetchRefusedException(FetchRefusedException.Reason.INVALID_URL, "has an invalid IP address");
		}
		try {
			return Long.parseLong(digits, radix);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
