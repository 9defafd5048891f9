package dev.bookmarks.auth.profile.photo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Node;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Turns an uploaded file into a profile photo: a square, centre-cropped 256x256 JPEG.
 *
 * <p>The upload is never stored or served as sent. Its type comes from its first bytes (JPEG, PNG,
 * GIF or WebP; never SVG, which can carry script), its pixel count is read from the header and
 * bounded before anything is decoded (a small file can claim a huge picture), and only the centre
 * square is decoded, subsampled to about twice the target size so that memory stays small. The
 * result is encoded afresh, so no metadata of the upload (EXIF with GPS position, comments, ICC
 * profiles, trailing data) survives; a JPEG's EXIF orientation is applied first, so that phone
 * photos stand upright. Transparent areas become white, as JPEG has no alpha.
 */
@Component
public class PhotoProcessor {

	/** 5 MiB; the multipart limits in application.yml refuse larger bodies before they are read. */
	public static final long MAX_BYTES = 5L * 1024 * 1024;

	public static final long MAX_PIXELS = 40_000_000L;

	public static final int SIZE = 256;

	private static final float JPEG_QUALITY = 0.85f;

	/** How long an upload waits for a decoding slot before it is answered 503. */
	private static final Duration WAIT_FOR_DECODER = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(PhotoProcessor.class);

	/**
	 * Decoding a picture of 40 megapixels takes seconds of CPU and tens of MiB: a few at a time per
	 * core, so that a burst of uploads slows uploads down instead of the whole service.
	 */
	private final Semaphore decoders = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

	PhotoProcessor() {
		// ImageIO finds plugins (TwelveMonkeys' WebP reader) through the context class loader of
		// the thread that first uses it; scan again from here, where it is the application's.
		ImageIO.scanForPlugins();
		for (ImageFormat format : ImageFormat.values()) {
			if (!ImageIO.getImageReadersByFormatName(format.imageIoName()).hasNext()) {
				throw new IllegalStateException("No ImageIO reader for " + format + " on the class path");
			}
		}
	}

	/**
	 * @throws UnacceptablePhotoException when the bytes are too many, not an image of an accepted
	 * type, too large a picture, or cannot be decoded
	 */
	public ProcessedPhoto process(byte[] upload) {
		if (upload.length == 0) {
			throw new UnacceptablePhotoException("The file is empty.");
		}
		if (upload.length > MAX_BYTES) {
			throw new UnacceptablePhotoException("The photo must be at most 5 MiB.");
		}
		ImageFormat format = ImageFormat.sniff(upload)
			.orElseThrow(() -> new UnacceptablePhotoException("The file is not a JPEG, PNG, GIF or WebP image."));
		acquireDecoder();
		try {
			Decoded decoded = decodeCentreSquare(upload, format);
			BufferedImage thumbnail = decoded.orientation().apply(scale(decoded.square(), SIZE));
			return ProcessedPhoto.jpeg(encodeJpeg(thumbnail), SIZE, SIZE);
		}
		finally {
			decoders.release();
		}
	}

	private void acquireDecoder() {
		try {
			if (decoders.tryAcquire(WAIT_FOR_DECODER.toMillis(), TimeUnit.MILLISECONDS)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
				"Too many photos are being processed; try again in a moment.");
	}

	/** The centre square as stored, and how to turn it upright. */
	private record Decoded(BufferedImage square, Orientation orientation) {
	}

	private static Decoded decodeCentreSquare(byte[] upload, ImageFormat format) {
		ImageReader reader = ImageIO.getImageReadersByFormatName(format.imageIoName()).next();
		try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(upload))) {
			// Metadata is read for JPEG only, for its EXIF orientation.
			reader.setInput(in, false, format != ImageFormat.JPEG);
			int width = reader.getWidth(0);
			int height = reader.getHeight(0);
			if (width <= 0 || height <= 0) {
				throw new UnacceptablePhotoException("The image has no pixels.");
			}
			if ((long) width * height > MAX_PIXELS) {
				throw new UnacceptablePhotoException("The picture must have at most 40 megapixels; this one has "
						+ width + "x" + height + ".");
			}
			int side = Math.min(width, height);
			ImageReadParam param = reader.getDefaultReadParam();
			param.setSourceRegion(new Rectangle((width - side) / 2, (height - side) / 2, side, side));
			int step = Math.max(1, side / (2 * SIZE));
			param.setSourceSubsampling(step, step, 0, 0);
			BufferedImage decoded = reader.read(0, param);
			// A reader that ignores the source region hands back the whole picture: crop it here.
			return new Decoded(centreSquare(decoded),
					format == ImageFormat.JPEG ? Orientation.of(exifOrientation(reader)) : Orientation.NORMAL);
		}
		catch (UnacceptablePhotoException ex) {
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Undecodable {} upload", format, ex);
			throw new UnacceptablePhotoException("The file could not be read as a " + format + " image.", ex);
		}
		finally {
			reader.dispose();
		}
	}

	private static BufferedImage centreSquare(BufferedImage image) {
		int side = Math.min(image.getWidth(), image.getHeight());
		if (image.getWidth() == side && image.getHeight() == side) {
			return image;
		}
		return image.getSubimage((image.getWidth() - side) / 2, (image.getHeight() - side) / 2, side, side);
	}

	/**
	 * Scales a square picture to {@code size}, halving first while it is more than twice as large
	 * (one bilinear step from far above loses detail to aliasing), on a white background.
	 */
	private static BufferedImage scale(BufferedImage square, int size) {
		BufferedImage current = square;
		int side = square.getWidth();
		while (side / 2 >= size) {
			side /= 2;
			current = draw(current, side);
		}
		return draw(current, size);
	}

	private static BufferedImage draw(BufferedImage source, int size) {
		BufferedImage target = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = target.createGraphics();
		try {
			graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
			graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
			graphics.setColor(Color.WHITE);
			graphics.fillRect(0, 0, size, size);
			graphics.drawImage(source, 0, 0, size, size, null);
		}
		finally {
			graphics.dispose();
		}
		return target;
	}

	private static byte[] encodeJpeg(BufferedImage image) {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
		try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
			writer.setOutput(out);
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(JPEG_QUALITY);
			writer.write(null, new IIOImage(image, null, null), param);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot encode a JPEG in memory", ex);
		}
		finally {
			writer.dispose();
		}
		return bytes.toByteArray();
	}

	/** The EXIF orientation (1 to 8) of the JPEG being read, 1 when it has none. */
	private static int exifOrientation(ImageReader reader) {
		try {
			IIOMetadata metadata = reader.getImageMetadata(0);
			if (metadata == null) {
				return 1;
			}
			Node markers = firstChild(metadata.getAsTree("javax_imageio_jpeg_image_1.0"), "markerSequence");
			for (Node segment = markers == null ? null : markers.getFirstChild(); segment != null;
					segment = segment.getNextSibling()) {
				// APP1 (0xE1 = 225) segments the JDK's reader does not interpret itself.
				if (segment instanceof IIOMetadataNode node && "unknown".equals(node.getNodeName())
						&& "225".equals(node.getAttribute("MarkerTag")) && node.getUserObject() instanceof byte[] app1
						&& isExif(app1)) {
					return orientationOf(app1);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Unreadable EXIF; keeping the picture as stored", ex);
		}
		return 1;
	}

	private static Node firstChild(Node parent, String name) {
		for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
			if (name.equals(child.getNodeName())) {
				return child;
			}
		}
		return null;
	}

	private static boolean isExif(byte[] app1) {
		return app1.length > 14 && app1[0] == 'E' && app1[1] == 'x' && app1[2] == 'i' && app1[3] == 'f' && app1[4] == 0
				&& app1[5] == 0;
	}

	private static int orientationOf(byte[] app1) throws IOException {
		try (ImageInputStream tiff = new MemoryCacheImageInputStream(
				new ByteArrayInputStream(app1, 6, app1.length - 6))) {
			Directory exif = new TIFFReader().read(tiff);
			Entry orientation = exif.getEntryById(TIFF.TAG_ORIENTATION);
			if (orientation != null && orientation.getValue() instanceof Number value) {
				return value.intValue();
			}
			return 1;
		}
	}

	/** The eight EXIF orientations, as the change that makes the stored square upright. */
	enum Orientation {

		NORMAL, MIRROR_HORIZONTAL, ROTATE_180, MIRROR_VERTICAL, TRANSPOSE, ROTATE_90_CW, TRANSVERSE, ROTATE_90_CCW;

		static Orientation of(int exifValue) {
			return exifValue >= 1 && exifValue <= 8 ? values()[exifValue - 1] : NORMAL;
		}

		/**
		 * Applies the change to a square picture; centre-cropping and scaling commute with every one
		 * of them, so it runs last, on the small thumbnail.
		 */
		BufferedImage apply(BufferedImage square) {
			if (this == NORMAL) {
				return square;
			}
			int n = square.getWidth();
			BufferedImage upright = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
			for (int y = 0; y < n; y++) {
				for (int x = 0; x < n; x++) {
					int sx;
					int sy;
					switch (this) {
						case MIRROR_HORIZONTAL -> { sx = n - 1 - x; sy = y; }
						case ROTATE_180 -> { sx = n - 1 - x; sy = n - 1 - y; }
						case MIRROR_VERTICAL -> { sx = x; sy = n - 1 - y; }
						case TRANSPOSE -> { sx = y; sy = x; }
						case ROTATE_90_CW -> { sx = y; sy = n - 1 - x; }
						case TRANSVERSE -> { sx = n - 1 - y; sy = n - 1 - x; }
						case ROTATE_90_CCW -> { sx = n - 1 - y; sy = x; }
						default -> { sx = x; sy = y; }
					}
					upright.setRGB(x, y, square.getRGB(sx, sy));
				}
			}
			return upright;
		}

	}

}
