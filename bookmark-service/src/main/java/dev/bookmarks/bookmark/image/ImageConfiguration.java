package dev.bookmarks.bookmark.image;

import java.time.Clock;
import java.time.Duration;

import dev.bookmarks.bookmark.blob.BlobReaper;
import dev.bookmarks.bookmark.blob.BlobStore;
import dev.bookmarks.bookmark.fetch.FetchProperties;
import dev.bookmarks.bookmark.picture.ImageProcessor;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Wiring of image processing, storage and their clean-up. */
@Configuration(proxyBeanMethods = false)
class ImageConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	ImageProcessor imageProcessor(FetchProperties fetch) {
		return new ImageProcessor(fetch.maxPixels());
	}

	/** Decoding is CPU-bound: at most one image per core at a time, queued beyond that. */
	@Bean(destroyMethod = "dispose")
	Scheduler imageWork() {
		int cores = Runtime.getRuntime().availableProcessors();
		return Schedulers.newBoundedElastic(Math.max(1, cores), 100, "image-work");
	}

	@Bean
	MediaUrls mediaUrls(@Value("${bookmarks.public-origin}") String publicOrigin) {
		return new MediaUrls(publicOrigin.replaceAll("/+$", ""));
	}

	@Bean
	TransactionalOperator transactionalOperator(ReactiveTransactionManager transactions) {
		return TransactionalOperator.create(transactions);
	}

	@Bean
	BlobReaper blobReaper(DatabaseClient db, TransactionalOperator tx, BlobStore blobs) {
		return new BlobReaper(db, tx, blobs, Duration.ofSeconds(5));
	}

}
