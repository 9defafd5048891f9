package dev.bookmarks.graph;

import dev.bookmarks.platform.netty.EventLoops;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Who follows whom, follower/following counts, and the public user directory. */
@SpringBootApplication
public class GraphApplication {

	public static void main(String[] args) {
		EventLoops.configure(EventLoops.SERVICE_ENV);
		SpringApplication.run(GraphApplication.class, args);
	}

}
