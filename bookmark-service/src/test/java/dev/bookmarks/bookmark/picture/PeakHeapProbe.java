package dev.bookmarks.bookmark.picture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.bookmarks.bookmark.capacity.Budget;

/**
 * Measures what one save's picture processing needs, outside any test: {@code write DIR} makes
 * 50-megapixel test pictures (TestPictures), {@code process FILE} processes one with a fresh
 * processor and exits 0, or dies with -XX:+ExitOnOutOfMemoryError. The smallest -Xmx that still
 * exits 0, less the same probe's {@code idle} need, is the heap one save takes. See
 * bookmark-service/peak-heap.sh.
 */
public final class PeakHeapProbe {

	private PeakHeapProbe() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "write" -> {
				Path dir = Path.of(args[1]);
				Files.createDirectories(dir);
				Files.write(dir.resolve("solid-7071.jpg"), TestPictures.solidJpeg(7071, 7071));
				Files.write(dir.resolve("solid-7071.png"), TestPictures.solidPng(7071, 7071));
			}
			case "process" -> {
				byte[] bytes = Files.readAllBytes(Path.of(args[1]));
				ImageProcessor.Processed processed = processor().process(bytes);
				System.out.println(processed.original().width() + "x" + processed.original().height());
			}
			case "idle" -> {
				byte[] bytes = Files.readAllBytes(Path.of(args[1]));
				System.out.println(bytes.length + " bytes, " + ImageFormat.sniff(bytes));
			}
			default -> throw new IllegalArgumentException(args[0]);
		}
	}

	/**
	 * One whose budget never refuses, so the probe measures what the work really takes; or, when
	 * an older ImageProcessor comes first on the class path (to measure it), its only constructor.
	 */
	private static ImageProcessor processor() throws ReflectiveOperationException {
		try {
			return ImageProcessor.class.getConstructor(long.class, Budget.class, Duration.class)
				.newInstance(50_000_000L, new Budget("probe", Long.MAX_VALUE / 2, Duration.ofSeconds(1)),
						Duration.ofMinutes(5));
		}
		catch (NoSuchMethodException older) {
			return ImageProcessor.class.getConstructor(long.class).newInstance(50_000_000L);
		}
	}

}
