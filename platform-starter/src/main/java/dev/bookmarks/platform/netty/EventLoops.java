package dev.bookmarks.platform.netty;

/**
 * How many event loops a process runs: Reactor Netty's {@code reactor.netty.ioWorkerCount}, shared by the HTTP
 * server, the HTTP clients and (see {@link ServerLoopConnections}) the database connections. Reactor Netty's own
 * default is one loop per core and at least four; every process here runs one unless told otherwise.
 * <p>
 * With several loops a request that arrives on one loop and is answered over a connection of another crosses threads
 * twice (out and back), each a task queue, a wake-up and system calls; on two cores four loops per process also
 * compete with each other. With one loop a request stays on one thread from its bytes to its answer. Measured side by
 * side (docs/operations.md, "One event loop"): about a third less CPU per request in the gateway, and less per feed
 * read in activity-service. A loop only moves bytes and never blocks; give more loops to a process with several cores
 * of its own, or run more replicas.
 */
public final class EventLoops {

	/** Reactor Netty's number of event loops, read once when its resources are first created. */
	public static final String PROPERTY = "reactor.netty.ioWorkerCount";

	/** The environment variable a service takes its number of loops from. */
	public static final String SERVICE_ENV = "BOOKMARKS_EVENT_LOOPS";

	private EventLoops() {
	}

	/**
	 * Sets the number of loops from the environment variable (default 1) before anything starts; call it first in
	 * {@code main}. A {@code -Dreactor.netty.ioWorkerCount} on the command line wins.
	 */
	public static void configure(String environmentVariable) {
		if (System.getProperty(PROPERTY) == null) {
			System.setProperty(PROPERTY, String.valueOf(count(environmentVariable, System.getenv(environmentVariable))));
		}
	}

	/** One loop when nothing is configured; otherwise the configured whole number from 1 to 256. */
	static int count(String environmentVariable, String configured) {
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
		throw new IllegalArgumentException(
				environmentVariable + " must be a whole number from 1 to 256, not '" + configured + "'");
	}

}
