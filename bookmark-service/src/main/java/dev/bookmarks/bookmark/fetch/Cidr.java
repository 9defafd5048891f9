package dev.bookmarks.bookmark.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A block of addresses such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
public record Cidr(byte[] network, int prefixLength) {

	public static Cidr parse(String text) {
		String value = text.trim();
		int slash = value.indexOf('/');
		if (slash < 0) {
			throw new IllegalArgumentException("Not a CIDR block (no /prefix): " + text);
		}
		byte[] address = literal(value.substring(0, slash));
		int prefix;
		try {
			prefix = Integer.parseInt(value.substring(slash + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Not a CIDR prefix length: " + text);
		}
		if (prefix < 0 || prefix > address.length * 8) {
			throw new IllegalArgumentException("Prefix length out of range: " + text);
		}
		return new Cidr(address, prefix);
	}

	/** Parses an IP literal without ever asking DNS. */
	static byte[] literal(String ip) {
		if (!ip.matches("[0-9a-fA-F:.]+") || ip.isEmpty()) {
			throw new IllegalArgumentException("Not an IP address: " + ip);
		}
		try {
			byte[] address = InetAddress.getByName(ip).getAddress();
			if (ip.contains(":") && address.length == 4) {
				// The JDK turns ::ffff:a.b.c.d into an IPv4 address; keep the IPv6 form that was written.
				byte[] mapped = new byte[16];
				mapped[10] = (byte) 0xFF;
				mapped[11] = (byte) 0xFF;
				System.arraycopy(address, 0, mapped, 12, 4);
				return mapped;
			}
			return address;
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("Not an IP address: " + ip, ex);
		}
	}

	public boolean contains(byte[] address) {
		if (address.length != network.length) {
			return false;
		}
		int full = prefixLength / 8;
		for (int i = 0; i < full; i++) {
			if (address[i] != network[i]) {
				return false;
			}
		}
		int rest = prefixLength % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xFF << (8 - rest)) & 0xFF;
		return (address[full] & mask) == (network[full] & mask);
	}

	public boolean contains(InetAddress address) {
		return contains(address.getAddress());
	}

}
