package dev.bookmarks.bookmark.image;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Bounds of the work behind {@code POST /api/images}, so that no burst of saves can exhaust the heap:
 * a full bound answers 503 with Retry-After. Defaults follow the machine: one worker per core, and
 * budgets as shares of the maximum heap.
 *
 * @param workers pictures decoded at once (threads of the image-work scheduler); default: cores
 * @param decodeMemory heap that decodes running at once may use together; default: 40 % of the
 * maximum heap. A 50-megapixel JPEG or PNG reserves about 70 MiB (its decoded raster is subsampled
 * to about 2,400 px and the stored pictures are drawn from it)
 * @param downloadMemory bytes of downloaded bodies held at once, from the first byte until the
 * picture is processed; default: 15 % of the maximum heap, at least one largest download
 * @param decodeTimeout longest one decode may take before it is aborted and refused (400)
 * @param retryAfter what a 503 tells the client to wait
 */
@ConfigurationProperties("bookmarks.images")
public record ImageWorkProperties(Integer workers, DataSize decodeMemory, DataSize downloadMemory,
		Duration decodeTimeout, Duration retryAfter) {

	public ImageWorkProperties {
		workers = workers != null && workers > 0 ? workers : Math.max(1, Runtime.getRuntime().availableProcessors());
		decodeMemory = decodeMemory != null ? decodeMemory : share(40);
		downloadMemory = downloadMemory != null ? downloadMemory : share(15);
		decodeTimeout = decodeTimeout != null ? decodeTimeout : Duration.ofSeconds(10);
		retryAfter = retryAfter != null ? retryAfter : Duration.ofSeconds(5);
	}

	private static DataSize share(int percent) {
		return DataSize.ofBytes(Runtime.getRuntime().maxMemory() / 100 * percent);
	}

}
