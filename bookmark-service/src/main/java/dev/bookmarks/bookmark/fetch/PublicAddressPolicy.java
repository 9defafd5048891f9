package dev.bookmarks.bookmark.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which addresses the server may fetch from: public unicast only. Every IANA special-purpose block
 * (IPv4 and IPv6: this-network, private, shared CGNAT, loopback, link-local with the cloud metadata
 * address, documentation, benchmarking, multicast, reserved, broadcast, unique-local, discard,
 * IETF protocol assignments) is refused; IPv6 forms that carry an IPv4 address (mapped,
 * compatible, NAT64, 6to4) are unwrapped and judged by that address. Operators may allow more with
 * {@code bookmarks.fetch.allowed-networks}.
 */
public class PublicAddressPolicy {

	private static final List<Special> SPECIAL = List.of(
			// IPv4 (RFC 6890 and the IANA IPv4 Special-Purpose Address Registry)
			special("0.0.0.0/8", "this network"), special("10.0.0.0/8", "private"),
			special("100.64.0.0/10", "shared address space (CGNAT)"), special("127.0.0.0/8", "loopback"),
			special("169.254.0.0/16", "link-local (cloud metadata lives here)"), special("172.16.0.0/12", "private"),
			special("192.0.0.0/24", "IETF protocol assignments"), special("192.0.2.0/24", "documentation"),
			special("192.31.196.0/24", "AS112"), special("192.52.193.0/24", "AMT"),
			special("192.88.99.0/24", "6to4 relay anycast"), special("192.168.0.0/16", "private"),
			special("192.175.48.0/24", "AS112"), special("198.18.0.0/15", "benchmarking"),
			special("198.51.100.0/24", "documentation"), special("203.0.113.0/24", "documentation"),
			special("224.0.0.0/4", "multicast"), special("240.0.0.0/4", "reserved and broadcast"),
			// IPv6 (the IANA IPv6 Special-Purpose Address Registry); mapped, compatible, NAT64 and
			// 6to4 forms are unwrapped before this list is consulted.
			special("::/128", "unspecified"), special("::1/128", "loopback"),
			special("64:ff9b:1::/48", "local-use NAT64"), special("100::/64", "discard-only"),
			special("2001::/23", "IETF protocol assignments (Teredo, ORCHID, ...)"),
			special("2001:db8::/32", "documentation"), special("3fff::/20", "documentation"),
			special("5f00::/16", "segment routing"), special("fc00::/7", "unique local"),
			special("fe80::/10", "link-local"), special("fec0::/10", "site-local"), special("ff00::/8", "multicast"));

	private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");

	private static final Cidr COMPATIBLE = Cidr.parse("::/96");

	private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");

	private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

	private final List<Cidr> allowed;

	public PublicAddressPolicy(List<Cidr> allowed) {
		this.allowed = List.copyOf(allowed);
	}

	/** Why this address may not be fetched from, or {@code null} if it may. */
	public String refusal(InetAddress address) {
		byte[] bytes = address.getAddress();
		for (Cidr network : allowed) {
			if (network.contains(bytes)) {
				return null;
			}
		}
		byte[] judged = unwrap(bytes);
		for (Special block : SPECIAL) {
			if (block.network().contains(judged)) {
				return describe(address, judged) + " is " + block.kind();
			}
		}
		return null;
	}

	/** The IPv4 address inside an IPv6 one that carries it, or the address itself. */
	static byte[] unwrap(byte[] address) {
		if (address.length != 16) {
			return address;
		}
		if (MAPPED.contains(address) || NAT64.contains(address)) {
			return Arrays.copyOfRange(address, 12, 16);
		}
		if (COMPATIBLE.contains(address) && !isZeroOrOne(address)) {
			return Arrays.copyOfRange(address, 12, 16);
		}
		if (SIX_TO_FOUR.contains(address)) {
			return Arrays.copyOfRange(address, 2, 6);
		}
		return address;
	}

	private static boolean isZeroOrOne(byte[] address) {
		for (int i = 0; i < 15; i++) {
			if (address[i] != 0) {
				return false;
			}
		}
		return address[15] == 0 || address[15] == 1;
	}

	private static String describe(InetAddress original, byte[] judged) {
		if (judged.length == original.getAddress().length) {
			return original.getHostAddress();
		}
		try {
			return original.getHostAddress() + " (" + InetAddress.getByAddress(judged).getHostAddress() + ")";
		}
		catch (UnknownHostException ex) {
			return original.getHostAddress();
		}
	}

	private record Special(Cidr network, String kind) {
	}

	private static Special special(String cidr, String kind) {
		return new Special(Cidr.parse(cidr), kind);
	}

}
