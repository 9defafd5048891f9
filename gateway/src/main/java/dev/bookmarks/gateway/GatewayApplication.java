package dev.bookmarks.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The one public origin: routes every client request to the service that owns it. */
@SpringBootApplication
public class GatewayApplication {

	/** Reactor Netty's number of event loops, shared by the gateway's server and its client to the services. */
	static final String EVENT_LOOPS_PROPERTY = "reactor.netty.ioWorkerCount";

	/** How many event loops the gateway runs (default 1); see {@link #eventLoops(String)}. */
	static final String EVENT_LOOPS_ENV = "BOOKMARKS_GATEWAY_EVENT_LOOPS";

	public static void main(String[] args) {
		if (System.getProperty(EVENT_LOOPS_PROPERTY) == null) {
			System.setProperty(EVENT_LOOPS_PROPERTY, String.valueOf(eventLoops(System.getenv(EVENT_LOOPS_ENV))));
		}
		SpringApplication.run(GatewayApplication.class, args);
	}

	/**
	 * One event loop unless told otherwise (Reactor Netty's default is one per core, at least four). A proxied
	 * request arrives on one loop and leaves over a pooled connection to the service that may belong to another;
	 * with several loops most requests crossed threads twice (request out, answer back), each a task queue, a
	 * wake-up and system calls. With one loop a request stays on one thread from end to end: measured side by side
	 * on two cores, about a third less gateway CPU per request and more requests per second at 4 and at 64
	 * connections (docs/operations.md). The loop only moves bytes and never blocks; one loop serves well over a
	 * thousand proxied requests a second. Give more ({@value #EVENT_LOOPS_ENV}) to a gateway with several cores of
	 * its own, or run more replicas.
	 */
	static int eventLoops(String configured) {
		if (configured == null || configured.isBlank()) {
			return 1;
		}
		try {
			int loops = Integer.parseInt(configured.trim());
			if (loops >= 1 && loops <= 256) {
				return loops;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException(EVENT_LOOPS_ENV + " must be a whole number from 1 to 256, not '" + configured + "'");
	}

}
