package dev.bookmarks.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Ports no process listens on, all different: each is held open until all are chosen. Chosen one at a time (open,
 * read, close), the kernel may hand out the same port twice, and a stack then got its Kafka broker and its gateway's
 * HTTPS listener on one port.
 */
final class FreePorts {

	private final Deque<Integer> ports = new ArrayDeque<>();

	private FreePorts(int count) throws IOException {
		List<ServerSocket> held = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				ServerSocket socket = new ServerSocket(0);
				held.add(socket);
				ports.add(socket.getLocalPort());
			}
		}
		finally {
			for (ServerSocket socket : held) {
				socket.close();
			}
		}
	}

	static FreePorts take(int count) throws IOException {
		return new FreePorts(count);
	}

	int next() {
		Integer port = ports.poll();
		if (port == null) {
			throw new IllegalStateException("More ports asked for than were taken");
		}
		return port;
	}

}
