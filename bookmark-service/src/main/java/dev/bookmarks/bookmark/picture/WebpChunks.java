package dev.bookmarks.bookmark.picture;

/**
 * Checks a WebP's chunks before any decoder sees them. An extended WebP (VP8X) declares a canvas
 * size, which is what the reader reports and what the pixel limit is checked against, but each
 * bitstream inside carries its own size, and the lossy decoder allocates per macroblock of that
 * size: a 16x16 canvas can wrap a 16383x16383 bitstream. Every bitstream must fit its canvas (or its
 * animation frame), so the limit checked on the canvas holds for what is decoded.
 */
final class WebpChunks {

	private WebpChunks() {
	}

	/**
	 * @param width,height the canvas (or the only bitstream's size)
	 * @param lossless whether a lossless bitstream or an alpha channel is decoded: the decoder then
	 * works on a full-size scratch raster whatever the subsampling
	 */
	record Facts(long width, long height, boolean lossless) {
	}

	/** The facts, or a refusal naming what is wrong. */
	static Facts check(byte[] b) {
		if (b.length < 30) {
			throw new InvalidImageException("is a truncated WebP image");
		}
		String first = fourCc(b, 12);
		switch (first) {
			case "VP8 " -> {
				long[] size = vp8Size(b, 20, chunkEnd(b, 12));
				return new Facts(size[0], size[1], false);
			}
			case "VP8L" -> {
				long[] size = vp8lSize(b, 20, chunkEnd(b, 12));
				return new Facts(size[0], size[1], true);
			}
			case "VP8X" -> {
				long width = 1 + u24(b, 24);
				long height = 1 + u24(b, 27);
				boolean lossless = checkChunks(b, 30, b.length, width, height, "canvas");
				return new Facts(width, height, lossless);
			}
			default -> throw new InvalidImageException("is a WebP image of an unknown kind");
		}
	}

	/** Checks the bitstreams between {@code from} and {@code to} against a frame; returns whether any is lossless. */
	private static boolean checkChunks(byte[] b, int from, int to, long width, long height, String frame) {
		boolean lossless = false;
		int at = from;
		while (at + 8 <= to) {
			String type = fourCc(b, at);
			int end = chunkEnd(b, at);
			int body = at + 8;
			switch (type) {
				case "VP8 " -> fits(vp8Size(b, body, end), width, height, frame);
				case "VP8L" -> {
					fits(vp8lSize(b, body, end), width, height, frame);
					lossless = true;
				}
				case "ALPH" -> lossless = true;
				case "ANMF" -> {
					if (body + 16 > end) {
						throw new InvalidImageException("is a damaged WebP image");
					}
					long frameWidth = 1 + u24(b, body + 6);
					long frameHeight = 1 + u24(b, body + 9);
					if (frameWidth > width || frameHeight > height) {
						throw tooLarge(frameWidth, frameHeight, width, height, frame);
					}
					lossless |= checkChunks(b, body + 16, end, frameWidth, frameHeight, "frame");
				}
				default -> {
					// ICCP, ANIM, EXIF, XMP and unknown chunks carry no pixels.
				}
			}
			at = end + (end & 1);
		}
		return lossless;
	}

	private static void fits(long[] size, long width, long height, String frame) {
		if (size[0] != width || size[1] != height) {
			throw tooLarge(size[0], size[1], width, height, frame);
		}
	}

	private static InvalidImageException tooLarge(long w, long h, long width, long height, String frame) {
		return new InvalidImageException("is a WebP image whose " + w + "x" + h + " picture does not match its "
				+ width + "x" + height + " " + frame);
	}

	/** The end of the chunk starting at {@code at} (its header included), refusing one that claims more than there is. */
	private static int chunkEnd(byte[] b, int at) {
		long end = at + 8L + u32(b, at + 4);
		if (end > b.length) {
			throw new InvalidImageException("is a truncated WebP image");
		}
		return (int) end;
	}

	/** A VP8 key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height. */
	private static long[] vp8Size(byte[] b, int body, int end) {
		if (body + 10 > end || (b[body] & 1) != 0 || (b[body + 3] & 0xFF) != 0x9D || (b[body + 4] & 0xFF) != 0x01
				|| (b[body + 5] & 0xFF) != 0x2A) {
			throw new InvalidImageException("is a damaged WebP image");
		}
		return new long[] { u16(b, body + 6) & 0x3FFF, u16(b, body + 8) & 0x3FFF };
	}

	/** A VP8L bitstream: signature 0x2f, then 14 bits of width - 1 and 14 bits of height - 1, least significant first. */
	private static long[] vp8lSize(byte[] b, int body, int end) {
		if (body + 5 > end || (b[body] & 0xFF) != 0x2F) {
			throw new InvalidImageException("is a damaged WebP image");
		}
		long bits = u32(b, body + 1);
		return new long[] { 1 + (bits & 0x3FFF), 1 + ((bits >>> 14) & 0x3FFF) };
	}

	private static String fourCc(byte[] b, int at) {
		return new String(b, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
	}

	private static int u16(byte[] b, int at) {
		return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
	}

	private static long u24(byte[] b, int at) {
		return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (long) (b[at + 2] & 0xFF) << 16;
	}

	private static long u32(byte[] b, int at) {
		return u24(b, at) | (long) (b[at + 3] & 0xFF) << 24;
	}

}
