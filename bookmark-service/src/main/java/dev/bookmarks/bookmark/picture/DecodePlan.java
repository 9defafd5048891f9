package dev.bookmarks.bookmark.picture;

/**
 * How a picture is decoded: every {@code step}-th pixel of every {@code step}-th row (ImageIO's
 * source subsampling, done inside the decoder, so the full-size raster never exists), chosen so
 * that the decoded raster still has at least the pixels the largest stored picture needs, and at
 * most {@code maxDecodedBytes}.
 *
 * @param step the subsampling in both directions, 1 for none
 * @param decodedWidth,decodedHeight the raster the decoder fills
 * @param bytesPerPixel of that raster, as the decoder lays it out
 */
record DecodePlan(int step, int decodedWidth, int decodedHeight, int bytesPerPixel) {

	/**
	 * @param largestEdge the longest edge of the largest picture made from the decoded one: decoding
	 * more than twice as many pixels along an edge buys nothing, as the scaling to it is bilinear
	 */
	static DecodePlan of(int width, int height, int bytesPerPixel, int largestEdge, long maxDecodedBytes) {
		if (width <= 0 || height <= 0 || bytesPerPixel <= 0 || largestEdge <= 0) {
			throw new IllegalArgumentException(width + "x" + height + " at " + bytesPerPixel + " bytes, edge " + largestEdge);
		}
		int step = Math.max(1, Math.max(width, height) / largestEdge);
		while (bytes(width, height, step, bytesPerPixel) > maxDecodedBytes && step < Math.max(width, height)) {
			step++;
		}
		return new DecodePlan(step, subsampled(width, step), subsampled(height, step), bytesPerPixel);
	}

	/** The rows or columns ImageIO reads from {@code size} with this step (offset 0): ceil(size / step). */
	static int subsampled(int size, int step) {
		return (size + step - 1) / step;
	}

	private static long bytes(int width, int height, int step, int bytesPerPixel) {
		return (long) subsampled(width, step) * subsampled(height, step) * bytesPerPixel;
	}

	long decodedBytes() {
		return bytes(decodedWidth, decodedHeight, 1, bytesPerPixel);
	}

}
