package dev.bookmarks.activity;

import dev.bookmarks.platform.netty.EventLoops;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The action stream and each person's feed. */
@SpringBootApplication
public class ActivityApplication {

	public static void main(String[] args) {
		EventLoops.configure(EventLoops.SERVICE_ENV);
		SpringApplication.run(ActivityApplication.class, args);
	}

}
