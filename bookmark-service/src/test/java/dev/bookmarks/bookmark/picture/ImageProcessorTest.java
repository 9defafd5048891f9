package dev.bookmarks.bookmark.picture;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import dev.bookmarks.bookmark.capacity.Budget;
import dev.bookmarks.bookmark.capacity.OverloadedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pictures as the processor sees them: turned upright, bounded in time, memory and structure. */
class ImageProcessorTest {

	private static final long MAX_PIXELS = 50_000_000L;

	private final Budget memory = new Budget("pictures", 256L * 1024 * 1024, Duration.ofSeconds(3));

	private final ImageProcessor processor = new ImageProcessor(MAX_PIXELS, memory, Duration.ofSeconds(10));

	// --- EXIF orientation

	@Test
	void aPhoneJpegTaggedRotate90IsStoredUprightWithUprightSize() {
		// Stored as the sensor saw it: 64 wide, 32 high, left half red (its top-left quarter green), right half blue.
		BufferedImage sensor = redLeftBlueRight();
		Graphics2D g = sensor.createGraphics();
		g.setColor(Color.GREEN);
		g.fillRect(0, 0, 32, 16);
		g.dispose();
		byte[] jpeg = withExifOrientation(jpeg(sensor, false), 6);

		ImageProcessor.Processed processed = processor.process(jpeg);

		// Orientation 6: turn a quarter clockwise. The left half comes on top, the stored top edge on the right.
		assertThat(processed.width()).isEqualTo(32);
		assertThat(processed.height()).isEqualTo(64);
		BufferedImage upright = read(processed.original().bytes());
		assertThat(upright.getWidth()).isEqualTo(32);
		assertThat(upright.getHeight()).isEqualTo(64);
		assertThat(colourAt(upright, 24, 8)).isEqualTo(Color.GREEN);
		assertThat(colourAt(upright, 8, 8)).isEqualTo(Color.RED);
		assertThat(colourAt(upright, 16, 48)).isEqualTo(Color.BLUE);
		BufferedImage detail = read(processed.detail().bytes());
		assertThat(detail.getHeight()).isGreaterThan(detail.getWidth());
		assertThat(colourAt(detail, 24, 8)).isEqualTo(Color.GREEN);
	}

	@Test
	void aJpegWithoutExifKeepsItsPixelsWhereTheyAre() {
		ImageProcessor.Processed processed = processor.process(jpeg(redLeftBlueRight(), false));

		assertThat(processed.width()).isEqualTo(64);
		BufferedImage stored = read(processed.original().bytes());
		assertThat(colourAt(stored, 8, 16)).isEqualTo(Color.RED);
		assertThat(colourAt(stored, 56, 16)).isEqualTo(Color.BLUE);
	}

	/** Where the stored picture's top-left and top-right corners end up, for a stored 4 x 2 picture (EXIF 2.32, 4.6.4 A). */
	@ParameterizedTest(name = "orientation {0}")
	@CsvSource({ "1, 0,0, 4,0", "2, 4,0, 0,0", "3, 4,2, 0,2", "4, 0,2, 4,2", "5, 0,0, 0,4", "6, 2,0, 2,4",
			"7, 2,4, 2,0", "8, 0,4, 0,0" })
	void orientationMovesTheCornersAsExifDefines(int exif, double topLeftX, double topLeftY, double topRightX,
			double topRightY) {
		Orientation orientation = Orientation.of(exif);
		var transform = orientation.toUpright(4, 2);

		assertThat(transform.transform(new Point2D.Double(0, 0), null)).isEqualTo(new Point2D.Double(topLeftX, topLeftY));
		assertThat(transform.transform(new Point2D.Double(4, 0), null)).isEqualTo(new Point2D.Double(topRightX, topRightY));
		assertThat(orientation.uprightWidth(4, 2)).isEqualTo(exif >= 5 ? 2 : 4);
		assertThat(orientation.uprightHeight(4, 2)).isEqualTo(exif >= 5 ? 4 : 2);
	}

	@Test
	void exifOrientationIsReadInBothByteOrdersAndNonsenseIsIgnored() {
		byte[] plain = jpeg(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), false);

		assertThat(JpegSegments.read(withExifOrientation(plain, 8)).orientation()).isEqualTo(Orientation.ROTATE_90_CCW);
		assertThat(JpegSegments.read(withLittleEndianExifOrientation(plain, 3)).orientation())
			.isEqualTo(Orientation.ROTATE_180);
		assertThat(JpegSegments.read(withExifOrientation(plain, 42)).orientation()).isEqualTo(Orientation.NORMAL);
		assertThat(JpegSegments.read(plain).orientation()).isEqualTo(Orientation.NORMAL);
	}

	// --- time

	@Test
	void aProgressiveJpegWithThousandsOfScansIsRefusedBeforeDecoding() {
		byte[] progressive = jpeg(gradient(64, 64), true);
		assertThat(JpegSegments.read(progressive).scans()).isBetween(2, 20);
		assertThat(JpegSegments.read(jpeg(gradient(64, 64), false)).scans()).isEqualTo(1);
		byte[] manyScans = repeatLastScan(progressive, 5000);

		assertThat(JpegSegments.read(manyScans).scans()).isGreaterThan(5000);
		assertThatThrownBy(() -> processor.process(manyScans)).isInstanceOf(InvalidImageException.class)
			.hasMessageContaining("scans");
		// The same picture with its usual scans is fine.
		assertThat(processor.process(progressive).width()).isEqualTo(64);
	}

	@Test
	void aDecodePastTheTimeLimitIsAbortedAndRefused() {
		// A clock that moves a second each time it is read: the decode's progress reports see the limit pass.
		AtomicLong now = new AtomicLong();
		ImageProcessor slow = new ImageProcessor(MAX_PIXELS, memory, Duration.ofSeconds(3),
				() -> now.getAndAdd(1_000_000_000L));
		byte[] png = TestPictures.write(gradient(800, 600), "png");

		assertThatThrownBy(() -> slow.process(png)).isInstanceOf(InvalidImageException.class)
			.hasMessageContaining("took more than 3 s to decode");
		assertThat(memory.available()).isEqualTo(memory.capacity());
	}

	// --- memory

	@Test
	void aDecodeThatDoesNotFitWhatIsLeftOfTheBudgetIsOverloadedAndGivesEverythingBack() {
		byte[] png = TestPictures.write(gradient(2000, 1500), "png");
		try (Budget.Reservation others = memory.reserve(memory.capacity() - 10 * 1024 * 1024)) {
			assertThatThrownBy(() -> processor.process(png)).isInstanceOf(OverloadedException.class);
		}
		assertThat(memory.available()).isEqualTo(memory.capacity());

		assertThat(processor.process(png).original().width()).isEqualTo(2000);
		assertThat(memory.available()).isEqualTo(memory.capacity());
	}

	@Test
	void aFiftyMegapixelPngIsStoredAtMost2048WideButReportsItsRealSize() {
		ImageProcessor.Processed processed = processor.process(TestPictures.solidPng(7071, 7071));

		assertThat(processed.width()).isEqualTo(7071);
		assertThat(processed.original().width()).isEqualTo(2048);
		assertThat(processed.detail().width()).isEqualTo(1024);
		assertThat(processed.square().width()).isEqualTo(300);
		assertThat(colourAt(read(processed.square().bytes()), 150, 150)).isEqualTo(new Color(200, 30, 30));
		assertThat(colourAt(read(processed.original().bytes()), 0, 0)).isEqualTo(new Color(200, 30, 30));
	}

	@Test
	void aPictureThatCanNeverFitTheBudgetIsRefused() {
		ImageProcessor tiny = new ImageProcessor(MAX_PIXELS, new Budget("pictures", 1024 * 1024, Duration.ofSeconds(1)),
				Duration.ofSeconds(10));

		assertThatThrownBy(() -> tiny.process(TestPictures.write(gradient(1000, 1000), "png")))
			.isInstanceOf(InvalidImageException.class)
			.hasMessageContaining("more than this server can decode");
	}

	// --- WebP

	@Test
	void aWebpWhoseSmallCanvasWrapsAHugeLossyBitstreamIsRefusedBeforeAnythingIsAllocated() {
		byte[] webp = extendedWebp(16, 16, chunk("VP8 ", vp8KeyFrame(16383, 16383)));

		long allocated = allocatedDuring(() -> assertThatThrownBy(() -> processor.process(webp))
			.isInstanceOf(InvalidImageException.class)
			.hasMessageContaining("16383x16383 picture does not match its 16x16 canvas"));

		assertThat(allocated).isLessThan(4L * 1024 * 1024);
	}

	@Test
	void aWebpWhoseSmallCanvasWrapsAHugeLosslessBitstreamIsRefused() {
		byte[] webp = extendedWebp(16, 16, chunk("VP8L", vp8lHeader(16384, 16384)));

		assertThatThrownBy(() -> processor.process(webp)).isInstanceOf(InvalidImageException.class)
			.hasMessageContaining("16384x16384 picture does not match its 16x16 canvas");
	}

	@Test
	void aWebpAnimationFrameLargerThanItsCanvasIsRefused() {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.writeBytes(new byte[] { 0, 0, 0, 0, 0, 0 });
		u24(frame, 4999);
		u24(frame, 4999);
		frame.writeBytes(new byte[] { 0, 0, 0, 0 });
		frame.writeBytes(chunk("VP8 ", vp8KeyFrame(5000, 5000)));
		byte[] webp = extendedWebp(16, 16, chunk("ANMF", frame.toByteArray()));

		assertThatThrownBy(() -> processor.process(webp)).isInstanceOf(InvalidImageException.class)
			.hasMessageContaining("5000x5000 picture does not match its 16x16 canvas");
	}

	@Test
	void aWebpCanvasOverTheLimitIsRefused() {
		byte[] webp = extendedWebp(10_000, 10_000, chunk("VP8 ", vp8KeyFrame(10_000, 10_000)));

		assertThatThrownBy(() -> processor.process(webp)).isInstanceOf(InvalidImageException.class)
			.hasMessageContaining("over 50 megapixels");
	}

	// --- helpers

	private static long allocatedDuring(Runnable work) {
		var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		work.run();
		return threads.getCurrentThreadAllocatedBytes() - before;
	}

	/** 64 wide, 32 high: the left half red, the right half blue. */
	private static BufferedImage redLeftBlueRight() {
		BufferedImage picture = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = picture.createGraphics();
		g.setColor(Color.RED);
		g.fillRect(0, 0, 32, 32);
		g.setColor(Color.BLUE);
		g.fillRect(32, 0, 32, 32);
		g.dispose();
		return picture;
	}

	static BufferedImage gradient(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | (x ^ y) & 0xFF);
			}
		}
		return image;
	}

	static byte[] jpeg(BufferedImage image, boolean progressive) {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream output = new MemoryCacheImageOutputStream(out)) {
			writer.setOutput(output);
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(0.95f);
			if (progressive) {
				param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
			}
			writer.write(null, new IIOImage(image, null, null), param);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
		return out.toByteArray();
	}

	/** The JPEG with an APP1 Exif segment (big-endian TIFF) right after SOI, holding only IFD0's Orientation. */
	static byte[] withExifOrientation(byte[] jpeg, int orientation) {
		return withApp1(jpeg, new byte[] { 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0,
				(byte) orientation, 0, 0, 0, 0, 0, 0 });
	}

	private static byte[] withLittleEndianExifOrientation(byte[] jpeg, int orientation) {
		return withApp1(jpeg, new byte[] { 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
				(byte) orientation, 0, 0, 0, 0, 0, 0, 0 });
	}

	private static byte[] withApp1(byte[] jpeg, byte[] tiff) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0xFF);
		out.write(0xD8);
		out.write(0xFF);
		out.write(0xE1);
		int length = 2 + 6 + tiff.length;
		out.write(length >>> 8);
		out.write(length);
		out.writeBytes(new byte[] { 'E', 'x', 'i', 'f', 0, 0 });
		out.writeBytes(tiff);
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

	/** The JPEG with its last scan (its SOS segment and entropy-coded data) repeated {@code times} more. */
	private static byte[] repeatLastScan(byte[] jpeg, int times) {
		int lastSos = -1;
		for (int i = 2; i + 1 < jpeg.length; i++) {
			if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
				lastSos = i;
			}
		}
		int eoi = jpeg.length - 2;
		assertThat(jpeg[eoi] & 0xFF).isEqualTo(0xFF);
		assertThat(jpeg[eoi + 1] & 0xFF).isEqualTo(0xD9);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(jpeg, 0, eoi);
		for (int i = 0; i < times; i++) {
			out.write(jpeg, lastSos, eoi - lastSos);
		}
		out.write(jpeg, eoi, 2);
		return out.toByteArray();
	}

	private static byte[] extendedWebp(int canvasWidth, int canvasHeight, byte[] chunks) {
		ByteArrayOutputStream vp8x = new ByteArrayOutputStream();
		vp8x.writeBytes(new byte[] { 0, 0, 0, 0 });
		u24(vp8x, canvasWidth - 1);
		u24(vp8x, canvasHeight - 1);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(new byte[] { 'W', 'E', 'B', 'P' });
		body.writeBytes(chunk("VP8X", vp8x.toByteArray()));
		body.writeBytes(chunks);
		ByteArrayOutputStream riff = new ByteArrayOutputStream();
		riff.writeBytes(new byte[] { 'R', 'I', 'F', 'F' });
		u32(riff, body.size());
		riff.writeBytes(body.toByteArray());
		return riff.toByteArray();
	}

	/** A VP8 key-frame header claiming this size, and a little filler where its partitions would be. */
	private static byte[] vp8KeyFrame(int width, int height) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		// Key frame, version 0, shown, first partition of 16 bytes.
		int tag = 0 | 0 << 1 | 1 << 4 | 16 << 5;
		u24(frame, tag);
		frame.writeBytes(new byte[] { (byte) 0x9D, 0x01, 0x2A });
		frame.write(width & 0xFF);
		frame.write(width >>> 8 & 0x3F);
		frame.write(height & 0xFF);
		frame.write(height >>> 8 & 0x3F);
		frame.writeBytes(new byte[64]);
		return frame.toByteArray();
	}

	private static byte[] vp8lHeader(int width, int height) {
		ByteArrayOutputStream header = new ByteArrayOutputStream();
		header.write(0x2F);
		u32(header, (width - 1) | (height - 1) << 14);
		header.writeBytes(new byte[64]);
		return header.toByteArray();
	}

	private static byte[] chunk(String fourCc, byte[] data) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(fourCc.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		u32(out, data.length);
		out.writeBytes(data);
		if (data.length % 2 == 1) {
			out.write(0);
		}
		return out.toByteArray();
	}

	private static void u24(ByteArrayOutputStream out, int value) {
		out.write(value);
		out.write(value >>> 8);
		out.write(value >>> 16);
	}

	private static void u32(ByteArrayOutputStream out, int value) {
		u24(out, value);
		out.write(value >>> 24);
	}

	static BufferedImage read(byte[] bytes) {
		try {
			return ImageIO.read(new ByteArrayInputStream(bytes));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The colour at a point, rounded to the nearest of the few a test paints (JPEG shifts them a little). */
	static Color colourAt(BufferedImage image, int x, int y) {
		Color actual = new Color(image.getRGB(x, y));
		for (Color candidate : new Color[] { Color.RED, Color.GREEN, Color.BLUE, Color.BLACK, Color.WHITE,
				new Color(200, 30, 30) }) {
			if (Math.abs(actual.getRed() - candidate.getRed()) < 40 && Math.abs(actual.getGreen() - candidate.getGreen()) < 40
					&& Math.abs(actual.getBlue() - candidate.getBlue()) < 40) {
				return candidate;
			}
		}
		return actual;
	}

}
