package dev.bookmarks.ranking;

import dev.bookmarks.platform.netty.EventLoops;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** View counters and rankings (all time, today, this week; by views and by likes) in Redis. */
@SpringBootApplication
public class RankingApplication {

	public static void main(String[] args) {
		EventLoops.configure(EventLoops.SERVICE_ENV);
		SpringApplication.run(RankingApplication.class, args);
	}

}
