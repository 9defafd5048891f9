package dev.bookmarks.auth.oidc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * Secrets that a local installation generates on first start and keeps in its data directory,
 * readable by the owner only, so that a restart finds the same ones.
 */
final class LocalKeyMaterial {

	private final Path dataDir;

	LocalKeyMaterial(Path dataDir) {
		this.dataDir = dataDir;
	}

	Path resolve(String relativePath) {
		return dataDir.resolve(relativePath).toAbsolutePath().normalize();
	}

	/** The file's content, written by {@code generator} first when the file does not exist. */
	String readOrCreate(String relativePath, Supplier<String> generator) {
		Path file = resolve(relativePath);
		try {
			if (Files.exists(file)) {
				return Files.readString(file, StandardCharsets.UTF_8);
			}
			Files.createDirectories(file.getParent());
			Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
			try {
				if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
					Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
				}
				String content = generator.get();
				Files.writeString(temporary, content, StandardCharsets.UTF_8);
				Files.move(temporary, file);
				return content;
			}
			catch (FileAlreadyExistsException ex) {
				// Another instance sharing the directory was first; use what it wrote.
				return Files.readString(file, StandardCharsets.UTF_8);
			}
			finally {
				Files.deleteIfExists(temporary);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create " + file, ex);
		}
	}

}
