package dev.bookmarks.bookmark;

import dev.bookmarks.platform.netty.EventLoops;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Images (metadata, stored originals, thumbnails), likes and like counts. */
@SpringBootApplication
public class BookmarkApplication {

	public static void main(String[] args) {
		EventLoops.configure(EventLoops.SERVICE_ENV);
		SpringApplication.run(BookmarkApplication.class, args);
	}

}
