package dev.bookmarks.bookmark.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Blobs as files under one folder (the local default), two levels of sub-folders by key prefix.
 * Writes go to a temporary file first and are moved into place, so a reader never sees half a
 * picture. File I/O blocks: it runs on the bounded elastic scheduler.
 */
public class FileSystemBlobStore implements BlobStore {

	private final Path root;

	public FileSystemBlobStore(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	@Override
	public Mono<Void> put(String key, byte[] bytes, String mediaType) {
		return Mono.<Void>fromRunnable(() -> {
			Path target = pathOf(key);
			if (Files.exists(target)) {
				return;
			}
			try {
				Files.createDirectories(target.getParent());
				Path temporary = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
				Files.write(temporary, bytes);
				Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot store blob " + key, ex);
			}
		}).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Mono<Blob> get(String key) {
		return Mono.fromCallable(() -> {
			try {
				return new Blob(Files.readAllBytes(pathOf(key)), BlobStore.mediaTypeOf(key));
			}
			catch (NoSuchFileException ex) {
				return null;
			}
		}).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Mono<Void> delete(String key) {
		return Mono.<Void>fromRunnable(() -> {
			try {
				Files.deleteIfExists(pathOf(key));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot delete blob " + key, ex);
			}
		}).subscribeOn(Schedulers.boundedElastic());
	}

	private Path pathOf(String key) {
		BlobStore.checkKey(key);
		return root.resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key);
	}

}
