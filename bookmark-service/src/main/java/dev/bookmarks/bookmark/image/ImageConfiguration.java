package dev.bookmarks.bookmark.image;

import java.time.Clock;
import java.time.Duration;

import dev.bookmarks.bookmark.blob.BlobReaper;
import dev.bookmarks.bookmark.blob.BlobStore;
import dev.bookmarks.bookmark.capacity.Budget;
import dev.bookmarks.bookmark.fetch.FetchProperties;
import dev.bookmarks.bookmark.picture.ImageProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Wiring of image processing, storage and their clean-up. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImageWorkProperties.class)
class ImageConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ImageConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	ImageMetrics imageMetrics(ObjectProvider<MeterRegistry> registry) {
		return new ImageMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	ImageProcessor imageProcessor(FetchProperties fetch, ImageWorkProperties work, ImageMetrics metrics) {
		Budget memory = metrics.watch(new Budget(ImageMetrics.PICTURES, work.decodeMemory().toBytes(), work.retryAfter()));
		log.info("Image work: {} workers, {} MiB for decoding, {} MiB for downloads, {} s per decode", work.workers(),
				work.decodeMemory().toMegabytes(), work.downloadMemory().toMegabytes(), work.decodeTimeout().toSeconds());
		return new ImageProcessor(fetch.maxPixels(), memory, work.decodeTimeout());
	}

	/** Bytes of downloads held from their first byte until their picture is processed. */
	@Bean
	DownloadBudget downloadBudget(FetchProperties fetch, ImageWorkProperties work, ImageMetrics metrics) {
		long bytes = Math.max(work.downloadMemory().toBytes(), fetch.maxBytes());
		return new DownloadBudget(metrics.watch(new Budget(ImageMetrics.DOWNLOADS, bytes, work.retryAfter())));
	}

	/**
	 * Decoding is CPU-bound: one picture per worker at a time. The queue behind them is short, as a
	 * queued save holds its downloaded bytes; a full queue is answered 503.
	 */
	@Bean(destroyMethod = "dispose")
	Scheduler imageWork(ImageWorkProperties work) {
		// The cap is per worker thread.
		return Schedulers.newBoundedElastic(work.workers(), 4, "image-work");
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
