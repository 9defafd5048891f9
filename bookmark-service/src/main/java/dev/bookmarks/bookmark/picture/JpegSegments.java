package dev.bookmarks.bookmark.picture;

/**
 * What the marker segments of a JPEG say before any pixel is decoded: how many scans it has (a
 * progressive JPEG can repeat scans thousands of times, each one a pass over every block, in the
 * codec's native code where no time limit reaches) and its EXIF orientation. The service's one
 * reader of the orientation tag; it reads IFD0 of the APP1 "Exif" segment and nothing else.
 */
final class JpegSegments {

	private static final int SOI = 0xD8;

	private static final int EOI = 0xD9;

	private static final int SOS = 0xDA;

	private static final int APP1 = 0xE1;

	private static final int TAG_ORIENTATION = 0x0112;

	private static final int TYPE_SHORT = 3;

	private JpegSegments() {
	}

	/** @param scans start-of-scan markers seen; @param orientation NORMAL when there is no usable tag */
	record Facts(int scans, Orientation orientation) {
	}

	/**
	 * Walks the segments; a structure it cannot follow ends the walk (the decoder then judges the
	 * bytes), but never with fewer scans counted than the decoder will see.
	 */
	static Facts read(byte[] jpeg) {
		int scans = 0;
		Orientation orientation = null;
		int i = 2;
		if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != SOI) {
			return new Facts(0, Orientation.NORMAL);
		}
		while (i + 1 < jpeg.length) {
			if ((jpeg[i] & 0xFF) != 0xFF) {
				// Not at a marker: damaged, or entropy-coded data the walk did not skip. Find the next one.
				i++;
				continue;
			}
			int marker = jpeg[i + 1] & 0xFF;
			if (marker == 0xFF) {
				// Fill byte before a marker.
				i++;
				continue;
			}
			if (marker == EOI) {
				break;
			}
			if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
				// Stuffed zero, TEM or a restart marker: no length follows.
				i += 2;
				continue;
			}
			if (i + 3 >= jpeg.length) {
				break;
			}
			int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
			if (length < 2) {
				break;
			}
			int body = i + 4;
			int next = i + 2 + length;
			if (marker == APP1 && orientation == null) {
				orientation = exifOrientation(jpeg, body, Math.min(next, jpeg.length));
			}
			if (marker == SOS) {
				scans++;
				// Entropy-coded data follows the header; it has no length, so the loop above skips
				// it byte by byte up to the next real marker (0xFF followed by a non-zero, non-RST byte).
			}
			i = next;
		}
		return new Facts(scans, orientation == null ? Orientation.NORMAL : orientation);
	}

	/** The orientation in an APP1 segment's body, or null when it is not Exif or has no usable tag. */
	private static Orientation exifOrientation(byte[] b, int start, int end) {
		if (end - start < 14 || b[start] != 'E' || b[start + 1] != 'x' || b[start + 2] != 'i' || b[start + 3] != 'f'
				|| b[start + 4] != 0 || b[start + 5] != 0) {
			return null;
		}
		int tiff = start + 6;
		boolean little;
		if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
			little = true;
		}
		else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
			little = false;
		}
		else {
			return null;
		}
		if (u16(b, tiff + 2, little) != 42) {
			return null;
		}
		long ifd = tiff + u32(b, tiff + 4, little);
		if (ifd < tiff + 8 || ifd + 2 > end) {
			return null;
		}
		int entries = u16(b, (int) ifd, little);
		for (int e = 0; e < entries; e++) {
			int entry = (int) ifd + 2 + 12 * e;
			if (entry + 12 > end) {
				return null;
			}
			if (u16(b, entry, little) == TAG_ORIENTATION) {
				if (u16(b, entry + 2, little) != TYPE_SHORT || u32(b, entry + 4, little) != 1) {
					return null;
				}
				return Orientation.of(u16(b, entry + 8, little));
			}
		}
		return null;
	}

	private static int u16(byte[] b, int at, boolean little) {
		int first = b[at] & 0xFF;
		int second = b[at + 1] & 0xFF;
		return little ? first | second << 8 : first << 8 | second;
	}

	private static long u32(byte[] b, int at, boolean little) {
		long high = u16(b, little ? at + 2 : at, little);
		long low = u16(b, little ? at : at + 2, little);
		return high << 16 | low;
	}

}
