package dev.bookmarks.bookmark.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A name server on a local UDP port for tests: answers A and AAAA queries for the names it is
 * given, NXDOMAIN for others, and never answers names starting with {@code silent} (a name server
 * that hangs). Remembers which names it was asked.
 */
public final class FakeDnsServer implements AutoCloseable {

	private final DatagramSocket socket;

	private final Map<String, List<InetAddress>> records;

	private final Set<String> asked = ConcurrentHashMap.newKeySet();

	public FakeDnsServer(Map<String, List<String>> records) {
		try {
			this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}
		catch (SocketException ex) {
			throw new UncheckedIOException(ex);
		}
		Map<String, List<InetAddress>> parsed = new ConcurrentHashMap<>();
		records.forEach((name, ips) -> parsed.put(name, ips.stream().map(FakeDnsServer::address).toList()));
		this.records = parsed;
		Thread thread = new Thread(this::serve, "fake-dns");
		thread.setDaemon(true);
		thread.start();
	}

	/** {@code 127.0.0.1:port}, for {@code bookmarks.fetch.name-servers}. */
	public String address() {
		return "127.0.0.1:" + socket.getLocalPort();
	}

	/** Names asked so far, lower case, without the final dot. */
	public Set<String> asked() {
		return asked;
	}

	@Override
	public void close() {
		socket.close();
	}

	private void serve() {
		byte[] buffer = new byte[1500];
		while (!socket.isClosed()) {
			try {
				DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
				socket.receive(packet);
				byte[] answer = answer(packet.getData(), packet.getLength());
				if (answer != null) {
					socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
				}
			}
			catch (IOException | RuntimeException ex) {
				// closed, or a query this server does not understand: no answer
			}
		}
	}

	private byte[] answer(byte[] query, int length) {
		// Header (12 bytes), then the question: labels, a zero byte, type (2) and class (2).
		int at = 12;
		StringBuilder name = new StringBuilder();
		while (query[at] != 0) {
			int label = query[at] & 0xFF;
			if (name.length() > 0) {
				name.append('.');
			}
			name.append(new String(query, at + 1, label, java.nio.charset.StandardCharsets.US_ASCII));
			at += label + 1;
		}
		int questionEnd = at + 5;
		int type = ((query[at + 1] & 0xFF) << 8) | (query[at + 2] & 0xFF);
		String host = name.toString().toLowerCase(Locale.ROOT);
		asked.add(host);
		if (host.startsWith("silent") || questionEnd > length) {
			return null;
		}
		List<InetAddress> known = records.get(host);
		List<InetAddress> matching = new ArrayList<>();
		if (known != null) {
			int size = type == 28 ? 16 : 4;
			known.stream().filter(address -> address.getAddress().length == size).forEach(matching::add);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(query, 0, 2);
		out.write(0x81);
		// NOERROR (also for a known name without addresses of this type), else NXDOMAIN.
		out.write(known != null ? 0x80 : 0x83);
		writeShort(out, 1);
		writeShort(out, matching.size());
		writeShort(out, 0);
		writeShort(out, 0);
		out.write(query, 12, questionEnd - 12);
		for (InetAddress address : matching) {
			writeShort(out, 0xC00C);
			writeShort(out, address.getAddress().length == 16 ? 28 : 1);
			writeShort(out, 1);
			writeShort(out, 0);
			writeShort(out, 60);
			writeShort(out, address.getAddress().length);
			out.write(address.getAddress(), 0, address.getAddress().length);
		}
		return out.toByteArray();
	}

	private static void writeShort(ByteArrayOutputStream out, int value) {
		out.write(value >>> 8);
		out.write(value & 0xFF);
	}

	private static InetAddress address(String ip) {
		try {
			return InetAddress.getByAddress(Cidr.literal(ip));
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(ip, ex);
		}
	}

}
