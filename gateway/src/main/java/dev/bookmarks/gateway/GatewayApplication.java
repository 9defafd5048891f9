package dev.bookmarks.gateway;

import dev.bookmarks.platform.netty.EventLoops;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The one public origin: routes every client request to the service that owns it. */
@SpringBootApplication
public class GatewayApplication {

	/**
	 * How many event loops the gateway runs (default 1, {@link EventLoops}): its server and its client to the
	 * services share them, so with one a proxied request stays on one thread from the client's bytes to the service's
	 * answer.
	 */
	static final String EVENT_LOOPS_ENV = "BOOKMARKS_GATEWAY_EVENT_LOOPS";

	public static void main(String[] args) {
		EventLoops.configure(EVENT_LOOPS_ENV);
		SpringApplication.run(GatewayApplication.class, args);
	}

}
