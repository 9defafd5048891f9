package dev.bookmarks.bookmark.image;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongConsumer;

import dev.bookmarks.bookmark.blob.BlobStore;
import dev.bookmarks.bookmark.capacity.Budget;
import dev.bookmarks.bookmark.capacity.OverloadedException;
import dev.bookmarks.bookmark.fetch.ImageFetcher;
import dev.bookmarks.bookmark.image.ImageRepository.NewImage;
import dev.bookmarks.bookmark.picture.ImageProcessor;
import dev.bookmarks.bookmark.picture.ImageProcessor.Encoded;
import dev.bookmarks.bookmark.picture.ImageProcessor.Processed;
import dev.bookmarks.events.image.ImageBookmarked;
import dev.bookmarks.events.image.ImageDeleted;
import dev.bookmarks.events.image.ImageLiked;
import dev.bookmarks.events.image.ImageUnliked;
import dev.bookmarks.events.image.ImageUpdated;
import dev.bookmarks.platform.outbox.ReactiveOutbox;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Saving, changing, deleting and liking images; every change and its event in one transaction. */
@Service
public class ImageService {

	private final ImageRepository images;

	private final ImageFetcher fetcher;

	private final ImageProcessor processor;

	private final Scheduler imageWork;

	private final BlobStore blobs;

	private final ReactiveOutbox outbox;

	private final TransactionalOperator tx;

	private final MediaUrls media;

	private final Clock clock;

	private final Budget downloads;

	private final ImageMetrics metrics;

	ImageService(ImageRepository images, ImageFetcher fetcher, ImageProcessor processor, Scheduler imageWork,
			BlobStore blobs, ReactiveOutbox outbox, TransactionalOperator tx, MediaUrls media, Clock clock,
			DownloadBudget downloads, ImageMetrics metrics) {
		this.images = images;
		this.fetcher = fetcher;
		this.processor = processor;
		this.imageWork = imageWork;
		this.blobs = blobs;
		this.outbox = outbox;
		this.tx = tx;
		this.media = media;
		this.clock = clock;
		this.downloads = downloads.bytes();
		this.metrics = metrics;
	}

	/**
	 * Downloads, checks and stores the picture, then records the image and its event. A URL the
	 * person saved before is refused with the existing id, before anything is downloaded.
	 */
	public Mono<ImageRow> save(Caller owner, String url, String title, String description) {
		return Mono.fromCallable(() -> fetcher.target(url))
			.flatMap(target -> images.idSavedBy(owner.id(), target.uri().toString())
				.flatMap(existing -> Mono.<ImageRow>error(new AlreadySavedException(existing)))
				.switchIfEmpty(Mono.defer(() -> download(owner, url, target.uri().toString(), title, description))))
			.doOnError(metrics::failed);
	}

	private Mono<ImageRow> download(Caller owner, String url, String normalizedUrl, String title, String description) {
		// The downloaded bytes count against the budget from the first chunk until the picture is made.
		return Mono.using(() -> downloads.reserve(0), bytes -> fetcher.fetch(url)
			.contextWrite(Context.of(ImageFetcher.BYTES_RECEIVED, (LongConsumer) bytes::grow))
			// Only a downloaded picture is handed to the image-work pool; a failed download answers
			// from where it failed, so a burst of failures (a silent name server) cannot fill the
			// pool's queue and turn into 503s. The id is made there too: UUID.randomUUID() reads
			// /dev/urandom, a blocking call that must not run on an event loop.
			.flatMap(fetched -> Mono.defer(() -> {
				long queued = System.nanoTime();
				return Mono.fromCallable(() -> {
					metrics.waitedForDecoding(System.nanoTime() - queued);
					return new Download(UUID.randomUUID(), processor.process(fetched.bytes()));
				}).subscribeOn(imageWork);
			})),
				Budget.Reservation::close)
			.onErrorMap(RejectedExecutionException.class,
					full -> new OverloadedException(ImageMetrics.QUEUE,
							"Too many pictures are waiting to be processed; try again shortly.", downloads.retryAfter()))
			.flatMap(download -> record(download.id(), owner, url, normalizedUrl, title, description,
					download.processed())
				.onErrorResume(error -> images.forgetBlobs(keys(download.processed())).then(Mono.error(error))));
	}

	/** A processed picture and the id its image will have. */
	private record Download(UUID id, Processed processed) {
	}

	private Mono<Void> store(Processed processed) {
		return Flux.just(processed.original(), processed.square(), processed.detail())
			.concatMap(encoded -> blobs.put(key(encoded), encoded.bytes(), encoded.mediaType()))
			.then();
	}

	/**
	 * Stores the pictures and records the image in one transaction that holds the blobs' locks
	 * throughout, so the blob reaper cannot delete a picture that this save found already stored
	 * (and so did not write) before the row naming it commits (see BlobLocks).
	 */
	private Mono<ImageRow> record(UUID id, Caller owner, String url, String normalizedUrl, String title,
			String description, Processed processed) {
		Instant now = now();
		NewImage image = new NewImage(id, owner.id(), owner.username(), Slugs.of(title), title, description, url,
				normalizedUrl, processed.original().sha256(), key(processed.original()), key(processed.square()),
				key(processed.detail()), processed.width(), processed.height(), now);
		return images.lockBlobs(keys(processed))
			.then(store(processed))
			.then(insertWithFreeSlug(image, Slugs.of(title), 1))
			.flatMap(slug -> outbox.append(new ImageBookmarked(id, owner.id(), owner.username(), title, slug,
					media.urlOf(key(processed.square())), now)))
			.then(images.find(id, owner.id()))
			.as(tx::transactional)
			.onErrorResume(DuplicateKeyException.class, duplicate -> images.idSavedBy(owner.id(), normalizedUrl)
				.flatMap(existing -> Mono.<ImageRow>error(new AlreadySavedException(existing)))
				.switchIfEmpty(Mono.error(duplicate)));
	}

	/**
	 * Inserts the image under its title's slug, or, when that is taken, under the slug with a short
	 * random suffix: one statement per try whatever the number of images with that title, the unique
	 * index deciding. A taken slug does not abort the transaction (ON CONFLICT), and the suffix comes
	 * from ThreadLocalRandom, which never blocks: the retry runs on the database driver's event loop.
	 */
	private Mono<String> insertWithFreeSlug(NewImage image, String base, int attempt) {
		return images.insertIfSlugFree(image).flatMap(inserted -> {
			if (inserted) {
				return Mono.just(image.slug());
			}
			if (attempt >= Slugs.MAX_ATTEMPTS) {
				return Mono.error(new IllegalStateException("No free slug for " + base + " after " + attempt + " tries"));
			}
			return insertWithFreeSlug(image.withSlug(Slugs.withRandomSuffix(base)), base, attempt + 1);
		});
	}

	public Mono<ImageRow> find(UUID id, Caller viewer) {
		return images.find(id, viewer.id()).switchIfEmpty(Mono.error(() -> new ImageNotFoundException(id)));
	}

	public Mono<ImageRow> update(UUID id, Caller caller, String title, String description) {
		return images.lock(id)
			.switchIfEmpty(Mono.error(() -> new ImageNotFoundException(id)))
			.flatMap(image -> {
				if (!image.ownerId().equals(caller.id())) {
					return Mono.error(new AccessDeniedException("Only the owner may change an image"));
				}
				String newTitle = title != null ? title : image.title();
				String newDescription = description != null ? description : image.description();
				Instant now = now();
				return images.update(id, newTitle, newDescription, now)
					.then(outbox.append(new ImageUpdated(id, image.ownerId(), newTitle, image.slug(), newDescription, now)));
			})
			.then(images.find(id, caller.id()))
			.as(tx::transactional);
	}

	/** Deletes the image (owner or moderator); its pictures go once the transaction has committed. */
	public Mono<Void> delete(UUID id, Caller caller) {
		return images.lock(id)
			.switchIfEmpty(Mono.error(() -> new ImageNotFoundException(id)))
			.flatMap(image -> {
				if (!image.ownerId().equals(caller.id()) && !caller.isModerator()) {
					return Mono.error(new AccessDeniedException("Only the owner or a moderator may delete an image"));
				}
				return images.delete(id)
					.then(images.forgetBlobs(image.blobKeys()))
					.then(outbox.append(new ImageDeleted(id, image.ownerId(), caller.id(), now())));
			})
			.then()
			.as(tx::transactional);
	}

	/** Likes once, however often asked; the count changes in the same transaction. */
	public Mono<Void> like(UUID id, Caller caller) {
		return images.lock(id)
			.switchIfEmpty(Mono.error(() -> new ImageNotFoundException(id)))
			.flatMap(image -> {
				Instant now = now();
				return images.like(id, caller.id(), caller.username(), now)
					.flatMap(count -> outbox
						.append(new ImageLiked(id, image.ownerId(), caller.id(), caller.username(), count, now)));
			})
			.then()
			.as(tx::transactional);
	}

	public Mono<Void> unlike(UUID id, Caller caller) {
		return images.lock(id)
			.switchIfEmpty(Mono.error(() -> new ImageNotFoundException(id)))
			.flatMap(image -> images.unlike(id, caller.id())
				.flatMap(count -> outbox.append(new ImageUnliked(id, image.ownerId(), caller.id(), count, now()))))
			.then()
			.as(tx::transactional);
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static String key(Encoded encoded) {
		return encoded.sha256() + "." + encoded.extension();
	}

	private static List<String> keys(Processed processed) {
		return List.of(key(processed.original()), key(processed.square()), key(processed.detail()));
	}

}
