package dev.bookmarks.bookmark.picture;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.function.LongSupplier;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.bookmarks.bookmark.capacity.Budget;
import dev.bookmarks.bookmark.fetch.FetchRefusedException.Reason;

/**
 * Turns untrusted bytes into images the site serves: the type sniffed from the bytes, the size
 * read from the header and bounded before anything is decoded, then decoded and written afresh
 * (which drops every piece of metadata: EXIF, GPS, comments, ICC tricks, trailing payloads) after
 * turning it upright as its EXIF orientation says, as a picture of at most {@value #FULL_EDGE} px,
 * a square grid thumbnail and a bounded-width detail picture.
 *
 * <p>Memory: the decoder subsamples while it decodes, so a 50-megapixel picture never exists at
 * full size, and each call reserves what it will use from a shared budget first; a full budget is
 * refused (503), never waited for. Time: JPEGs with more than {@value #MAX_JPEG_SCANS} scans are
 * refused before decoding, and a decode running past the time limit is aborted. CPU-bound and
 * blocking: callers run it on a bounded scheduler.
 */
public class ImageProcessor {

	/** Edge of the square grid thumbnail. */
	public static final int SQUARE = 300;

	/** Largest width of the detail picture. */
	public static final int DETAIL_WIDTH = 1024;

	/** Longest edge of the stored picture ({@code imageUrl}); larger sources are scaled down to it. */
	public static final int FULL_EDGE = 2048;

	/** The decoded raster is at most this large (a 4096-px square of 16-bit RGBA would be 128 MiB). */
	static final long MAX_DECODED_BYTES = 32L * 1024 * 1024;

	/**
	 * Cameras and encoders write at most a dozen or so; each scan is a pass over every block, done
	 * in native code before the first row comes out, where no time limit can stop it.
	 */
	static final int MAX_JPEG_SCANS = 100;

	private final long maxPixels;

	private final Budget memory;

	private final Duration timeLimit;

	private final LongSupplier nanoTime;

	/** A processor of its own, with a budget of half the heap and 10 s per decode (for tests and tools). */
	public ImageProcessor(long maxPixels) {
		this(maxPixels, new Budget("pictures", Runtime.getRuntime().maxMemory() / 2, Duration.ofSeconds(5)),
				Duration.ofSeconds(10));
	}

	/**
	 * @param maxPixels largest width × height accepted
	 * @param memory heap bytes that decodes running at once may use together
	 * @param timeLimit longest one decode may take
	 */
	public ImageProcessor(long maxPixels, Budget memory, Duration timeLimit) {
		this(maxPixels, memory, timeLimit, System::nanoTime);
	}

	ImageProcessor(long maxPixels, Budget memory, Duration timeLimit, LongSupplier nanoTime) {
		this.maxPixels = maxPixels;
		this.memory = memory;
		this.timeLimit = timeLimit;
		this.nanoTime = nanoTime;
		// ImageIO finds plugins (TwelveMonkeys' WebP reader) through the context class loader of the
		// thread that first uses it; scan again from here, where it is the application's.
		ImageIO.scanForPlugins();
		for (ImageFormat format : ImageFormat.values()) {
			if (!ImageIO.getImageReadersByFormatName(format.readerName()).hasNext()) {
				throw new IllegalStateException("No ImageIO reader for " + format + " on the class path");
			}
		}
	}

	/** One stored picture: bytes, media type, size, and a SHA-256 naming it. */
	public record Encoded(byte[] bytes, String mediaType, int width, int height, String sha256) {

		public String extension() {
			return mediaType.equals("image/png") ? "png" : "jpg";
		}

	}

	/**
	 * The three pictures made of one download.
	 *
	 * @param width,height the source picture's size, upright (turned as its EXIF orientation says)
	 */
	public record Processed(ImageFormat sourceFormat, int width, int height, Encoded original, Encoded square,
			Encoded detail) {
	}

	/**
	 * @throws InvalidImageException (400) for bytes that are not an acceptable picture
	 * @throws dev.bookmarks.bookmark.capacity.OverloadedException (503) when other decodes hold the memory it needs
	 */
	public Processed process(byte[] bytes) {
		ImageFormat format = ImageFormat.sniff(bytes);
		if (format == null) {
			throw new InvalidImageException("is not an image (JPEG, PNG, GIF or WebP)");
		}
		Orientation orientation = Orientation.NORMAL;
		boolean losslessWebp = false;
		if (format == ImageFormat.JPEG) {
			JpegSegments.Facts jpeg = JpegSegments.read(bytes);
			if (jpeg.scans() > MAX_JPEG_SCANS) {
				throw new InvalidImageException(Reason.TOO_LARGE, "is a JPEG image of " + jpeg.scans() + " scans, over " + MAX_JPEG_SCANS);
			}
			orientation = jpeg.orientation();
		}
		else if (format == ImageFormat.WEBP) {
			WebpChunks.Facts webp = WebpChunks.check(bytes);
			checkPixels(webp.width(), webp.height());
			losslessWebp = webp.lossless();
		}
		long deadline = nanoTime.getAsLong() + timeLimit.toNanos();
		ImageReader reader = ImageIO.getImageReadersByFormatName(format.readerName()).next();
		try (ImageInputStream input = new ByteArrayImageInputStream(bytes)) {
			reader.setInput(input, true, true);
			int width = reader.getWidth(0);
			int height = reader.getHeight(0);
			checkPixels(width, height);
			DecodePlan plan = DecodePlan.of(width, height, bytesPerPixel(reader), FULL_EDGE, MAX_DECODED_BYTES);
			Size full = fullSize(orientation.uprightWidth(plan.decodedWidth(), plan.decodedHeight()),
					orientation.uprightHeight(plan.decodedWidth(), plan.decodedHeight()));
			long cost = cost(plan, full, (long) width * height, format, losslessWebp);
			if (cost > memory.capacity()) {
				throw new InvalidImageException(Reason.TOO_LARGE, "is " + width + "x" + height + ", more than this server can decode ("
						+ cost / (1024 * 1024) + " MiB)");
			}
			try (Budget.Reservation reserved = memory.reserve(cost)) {
				BufferedImage decoded = decode(reader, plan, deadline);
				boolean alpha = decoded.getColorModel().hasAlpha();
				BufferedImage upright = upright(decoded, orientation, full, alpha);
				decoded = null;
				Encoded original = encode(upright, alpha);
				checkTime(deadline);
				Encoded detail = encode(boundedWidth(upright, alpha), alpha);
				Encoded square = encode(square(upright, alpha), alpha);
				checkTime(deadline);
				return new Processed(format, orientation.uprightWidth(width, height),
						orientation.uprightHeight(width, height), original, square, detail);
			}
		}
		catch (InvalidImageException | dev.bookmarks.bookmark.capacity.OverloadedException ex) {
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidImageException("is a damaged " + format.name() + " image");
		}
		finally {
			reader.dispose();
		}
	}

	private void checkPixels(long width, long height) {
		if (width <= 0 || height <= 0) {
			throw new InvalidImageException("has no size");
		}
		if (width * height > maxPixels) {
			throw new InvalidImageException(Reason.TOO_LARGE,
					"is " + width + "x" + height + ", over " + maxPixels / 1_000_000 + " megapixels");
		}
	}

	/** Bytes per pixel of the raster the reader will fill (its first image type is its default destination). */
	static int bytesPerPixel(ImageReader reader) throws IOException {
		Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
		if (types == null || !types.hasNext()) {
			throw new InvalidImageException("has no decodable pixel layout");
		}
		SampleModel model = types.next().getSampleModel(1, 1);
		int elementBytes = Math.max(1, DataBuffer.getDataTypeSize(model.getTransferType()) / 8);
		return Math.max(1, elementBytes * model.getNumDataElements());
	}

	/** The stored picture's size: the upright decoded raster scaled to fit {@link #FULL_EDGE}, never up. */
	static Size fullSize(int uprightWidth, int uprightHeight) {
		int longest = Math.max(uprightWidth, uprightHeight);
		if (longest <= FULL_EDGE) {
			return new Size(uprightWidth, uprightHeight);
		}
		double scale = FULL_EDGE / (double) longest;
		return new Size(Math.max(1, (int) Math.round(uprightWidth * scale)),
				Math.max(1, (int) Math.round(uprightHeight * scale)));
	}

	record Size(int width, int height) {

		long argbBytes() {
			return 4L * width * height;
		}

	}

	/**
	 * The heap one decode uses at most: the decoded raster, the decoder's own scratch, and the
	 * upright picture with what is made from it (its encoding, the detail picture, the square),
	 * counted as three times its raster.
	 */
	static long cost(DecodePlan plan, Size full, long sourcePixels, ImageFormat format, boolean losslessWebp) {
		long scratch = 0;
		if (format == ImageFormat.WEBP) {
			// TwelveMonkeys decodes lossless bitstreams and alpha channels into a full-size ARGB raster
			// and subsamples while copying out of it; the lossy decoder keeps state per macroblock.
			scratch = losslessWebp ? 4 * sourcePixels + 4L * plan.decodedWidth() * plan.decodedHeight()
					: sourcePixels / 4;
		}
		return plan.decodedBytes() + scratch + 3 * full.argbBytes();
	}

	private BufferedImage decode(ImageReader reader, DecodePlan plan, long deadline) throws IOException {
		ImageReadParam param = reader.getDefaultReadParam();
		if (plan.step() > 1) {
			param.setSourceSubsampling(plan.step(), plan.step(), 0, 0);
		}
		reader.addIIOReadProgressListener(new TimeLimit(deadline));
		BufferedImage image = reader.read(0, param);
		checkTime(deadline);
		if (image == null) {
			throw new InvalidImageException("could not be decoded");
		}
		if (image.getWidth() != plan.decodedWidth() || image.getHeight() != plan.decodedHeight()) {
			// A reader that ignored the subsampling would have allocated what the plan did not reserve.
			throw new IllegalStateException("Decoded " + image.getWidth() + "x" + image.getHeight() + ", planned "
					+ plan.decodedWidth() + "x" + plan.decodedHeight());
		}
		return image;
	}

	private void checkTime(long deadline) {
		if (nanoTime.getAsLong() - deadline > 0) {
			throw new InvalidImageException(Reason.TIMEOUT, "took more than " + timeLimit.toSeconds() + " s to decode");
		}
	}

	/**
	 * Aborts the read once the deadline has passed. Readers report progress on the decoding thread
	 * (every few rows), which is also the only thread the JDK's JPEG reader lets call abort().
	 */
	private final class TimeLimit implements IIOReadProgressListener {

		private final long deadline;

		TimeLimit(long deadline) {
			this.deadline = deadline;
		}

		@Override
		public void imageProgress(ImageReader source, float percentageDone) {
			if (nanoTime.getAsLong() - deadline > 0) {
				source.abort();
			}
		}

		@Override
		public void sequenceStarted(ImageReader source, int minIndex) {
		}

		@Override
		public void sequenceComplete(ImageReader source) {
		}

		@Override
		public void imageStarted(ImageReader source, int imageIndex) {
		}

		@Override
		public void imageComplete(ImageReader source) {
		}

		@Override
		public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
		}

		@Override
		public void thumbnailProgress(ImageReader source, float percentageDone) {
		}

		@Override
		public void thumbnailComplete(ImageReader source) {
		}

		@Override
		public void readAborted(ImageReader source) {
		}

	}

	/**
	 * The decoded raster turned upright and scaled to {@code full} in one drawing: a plain RGB(A)
	 * raster whatever the source's palette or colour model, and the only copy made of it.
	 */
	private static BufferedImage upright(BufferedImage decoded, Orientation orientation, Size full, boolean alpha) {
		int uprightWidth = orientation.uprightWidth(decoded.getWidth(), decoded.getHeight());
		int uprightHeight = orientation.uprightHeight(decoded.getWidth(), decoded.getHeight());
		AffineTransform transform = AffineTransform.getScaleInstance(full.width() / (double) uprightWidth,
				full.height() / (double) uprightHeight);
		transform.concatenate(orientation.toUpright(decoded.getWidth(), decoded.getHeight()));
		BufferedImage target = new BufferedImage(full.width(), full.height(),
				alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		Graphics2D g = graphics(target);
		try {
			g.drawImage(decoded, transform, null);
		}
		finally {
			g.dispose();
		}
		return target;
	}

	/** The centre square, halved step by step first while it is over twice the target (one bilinear step from far above aliases). */
	private static BufferedImage square(BufferedImage image, boolean alpha) {
		int edge = Math.min(image.getWidth(), image.getHeight());
		int x = (image.getWidth() - edge) / 2;
		int y = (image.getHeight() - edge) / 2;
		int size = Math.min(SQUARE, edge);
		BufferedImage current = image;
		while (edge / 2 >= 2 * size) {
			current = draw(current, edge / 2, edge / 2, x, y, edge, edge, alpha);
			edge /= 2;
			x = 0;
			y = 0;
		}
		return draw(current, size, size, x, y, edge, edge, alpha);
	}

	/** At most {@link #DETAIL_WIDTH} wide; the full picture is at most twice that, so one bilinear step. */
	private static BufferedImage boundedWidth(BufferedImage image, boolean alpha) {
		if (image.getWidth() <= DETAIL_WIDTH) {
			return image;
		}
		int height = Math.max(1, (int) Math.round(image.getHeight() * (DETAIL_WIDTH / (double) image.getWidth())));
		return draw(image, DETAIL_WIDTH, height, 0, 0, image.getWidth(), image.getHeight(), alpha);
	}

	private static BufferedImage draw(BufferedImage source, int width, int height, int sx, int sy, int sw, int sh,
			boolean alpha) {
		BufferedImage target = new BufferedImage(width, height,
				alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		Graphics2D g = graphics(target);
		try {
			g.drawImage(source, 0, 0, width, height, sx, sy, sx + sw, sy + sh, null);
		}
		finally {
			g.dispose();
		}
		return target;
	}

	private static Graphics2D graphics(BufferedImage target) {
		Graphics2D g = target.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
		return g;
	}

	private static Encoded encode(BufferedImage image, boolean alpha) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			if (alpha) {
				ImageIO.write(image, "png", out);
			}
			else {
				ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
				ImageWriteParam param = writer.getDefaultWriteParam();
				param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
				param.setCompressionQuality(0.88f);
				try (MemoryCacheImageOutputStream output = new MemoryCacheImageOutputStream(out)) {
					writer.setOutput(output);
					writer.write(null, new IIOImage(image, null, null), param);
				}
				finally {
					writer.dispose();
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		byte[] bytes = out.toByteArray();
		return new Encoded(bytes, alpha ? "image/png" : "image/jpeg", image.getWidth(), image.getHeight(), sha256(bytes));
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
