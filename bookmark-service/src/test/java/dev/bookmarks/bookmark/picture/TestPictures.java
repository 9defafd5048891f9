package dev.bookmarks.bookmark.picture;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import javax.imageio.ImageIO;

/** Pictures made by tests, small on the wire however many pixels they claim. */
public final class TestPictures {

	private TestPictures() {
	}

	/** A solid-colour RGB JPEG (the test JVM holds its raster once while writing it). */
	public static byte[] solidJpeg(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
		byte[] samples = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
		for (int i = 0; i < samples.length; i += 3) {
			samples[i] = 40;
			samples[i + 1] = (byte) 160;
			samples[i + 2] = 60;
		}
		return write(image, "jpeg");
	}

	/** A solid-colour RGB PNG, written row by row: no raster is ever made. */
	public static byte[] solidPng(int width, int height) {
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		png.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
		ByteArrayOutputStream header = new ByteArrayOutputStream();
		writeInt(header, width);
		writeInt(header, height);
		header.writeBytes(new byte[] { 8, 2, 0, 0, 0 });
		chunk(png, "IHDR", header.toByteArray());
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		byte[] row = new byte[1 + 3 * width];
		for (int x = 0; x < width; x++) {
			row[1 + 3 * x] = (byte) 200;
			row[2 + 3 * x] = 30;
			row[3 + 3 * x] = 30;
		}
		try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
			for (int y = 0; y < height; y++) {
				deflate.write(row);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		chunk(png, "IDAT", compressed.toByteArray());
		chunk(png, "IEND", new byte[0]);
		return png.toByteArray();
	}

	public static byte[] write(BufferedImage image, String format) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			if (!ImageIO.write(image, format, out)) {
				throw new IllegalStateException("No writer for " + format);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
		writeInt(png, data.length);
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		png.writeBytes(typeBytes);
		png.writeBytes(data);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		writeInt(png, (int) crc.getValue());
	}

	private static void writeInt(ByteArrayOutputStream out, int value) {
		out.write(value >>> 24);
		out.write(value >>> 16);
		out.write(value >>> 8);
		out.write(value);
	}

}
