package dev.bookmarks.bookmark.picture;

/** The formats the site accepts, recognised by their first bytes, never by a header or a name. */
public enum ImageFormat {

	JPEG("jpeg"), PNG("png"), GIF("gif"), WEBP("webp");

	private final String readerName;

	ImageFormat(String readerName) {
		this.readerName = readerName;
	}

	String readerName() {
		return readerName;
	}

	/** The format the bytes announce, or {@code null} for anything else (SVG, HTML, ...). */
	public static ImageFormat sniff(byte[] bytes) {
		if (starts(bytes, 0xFF, 0xD8, 0xFF)) {
			return JPEG;
		}
		if (starts(bytes, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
			return PNG;
		}
		if (starts(bytes, 'G', 'I', 'F', '8', '7', 'a') || starts(bytes, 'G', 'I', 'F', '8', '9', 'a')) {
			return GIF;
		}
		if (bytes.length >= 12 && starts(bytes, 'R', 'I', 'F', 'F') && bytes[8] == 'W' && bytes[9] == 'E'
				&& bytes[10] == 'B' && bytes[11] == 'P') {
			return WEBP;
		}
		return null;
	}

	private static boolean starts(byte[] bytes, int... prefix) {
		if (bytes.length < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if ((bytes[i] & 0xFF) != prefix[i]) {
				return false;
			}
		}
		return true;
	}

}
