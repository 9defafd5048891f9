package dev.bookmarks.bookmark.picture;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Turns untrusted bytes into images the site serves: the type sniffed from the bytes, the size
 * read from the header and bounded before anything is decoded, then decoded and written afresh
 * (which drops every piece of metadata: EXIF, GPS, comments, ICC tricks, trailing payloads), plus
 * a square grid thumbnail and a bounded-width detail picture. CPU-bound and blocking: callers run
 * it on a bounded elastic scheduler.
 */
public class ImageProcessor {

	/** Edge of the square grid thumbnail. */
	public static final int SQUARE = 300;

	/** Largest width of the detail picture. */
	public static final int DETAIL_WIDTH = 1024;

	private final long maxPixels;

	public ImageProcessor(long maxPixels) {
		this.maxPixels = maxPixels;
	}

	/** One stored picture: bytes, media type, size, and a SHA-256 naming it. */
	public record Encoded(byte[] bytes, String mediaType, int width, int height, String sha256) {

		public String extension() {
			return mediaType.equals("image/png") ? "png" : "jpg";
		}

	}

	/** The three pictures made of one download. */
	public record Processed(ImageFormat sourceFormat, Encoded original, Encoded square, Encoded detail) {
	}

	public Processed process(byte[] bytes) {
		ImageFormat format = ImageFormat.sniff(bytes);
		if (format == null) {
			throw new InvalidImageException("is not an image (JPEG, PNG, GIF or WebP)");
		}
		BufferedImage image = decode(bytes, format);
		boolean alpha = image.getColorModel().hasAlpha();
		BufferedImage flat = normalize(image, alpha);
		return new Processed(format, encode(flat, alpha), encode(square(flat, alpha), alpha),
				encode(boundedWidth(flat, alpha), alpha));
	}

	private BufferedImage decode(byte[] bytes, ImageFormat format) {
		try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
			Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.readerName());
			if (!readers.hasNext()) {
				throw new IllegalStateException("No ImageIO reader for " + format);
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(input, true, true);
				long width = reader.getWidth(0);
				long height = reader.getHeight(0);
				if (width <= 0 || height <= 0) {
					throw new InvalidImageException("has no size");
				}
				if (width * height > maxPixels) {
					throw new InvalidImageException(
							"is " + width + "x" + height + ", over " + maxPixels / 1_000_000 + " megapixels");
				}
				BufferedImage image = reader.read(0);
				if (image == null) {
					throw new InvalidImageException("could not be decoded");
				}
				return image;
			}
			finally {
				reader.dispose();
			}
		}
		catch (InvalidImageException ex) {
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidImageException("is a damaged " + format.name() + " image");
		}
	}

	/** A plain RGB(A) raster, whatever the source's palette or colour model. */
	private static BufferedImage normalize(BufferedImage image, boolean alpha) {
		return draw(image, image.getWidth(), image.getHeight(), 0, 0, image.getWidth(), image.getHeight(), alpha);
	}

	private static BufferedImage square(BufferedImage image, boolean alpha) {
		int edge = Math.min(image.getWidth(), image.getHeight());
		int x = (image.getWidth() - edge) / 2;
		int y = (image.getHeight() - edge) / 2;
		int size = Math.min(SQUARE, edge);
		return draw(image, size, size, x, y, edge, edge, alpha);
	}

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
		Graphics2D g = target.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
			g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
			g.drawImage(source, 0, 0, width, height, sx, sy, sx + sw, sy + sh, null);
		}
		finally {
			g.dispose();
		}
		return target;
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
