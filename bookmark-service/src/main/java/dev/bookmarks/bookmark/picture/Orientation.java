package dev.bookmarks.bookmark.picture;

import java.awt.geom.AffineTransform;

/**
 * The eight EXIF orientations (values 1 to 8, in that order): how a camera stored the picture
 * relative to how it should stand. Phones store photos as the sensor saw them and set this tag
 * instead of turning the pixels, so a re-encoded picture that ignores it comes out sideways.
 */
enum Orientation {

	NORMAL, MIRROR_HORIZONTAL, ROTATE_180, MIRROR_VERTICAL, TRANSPOSE, ROTATE_90_CW, TRANSVERSE, ROTATE_90_CCW;

	/** The orientation an EXIF value names; anything out of range (a damaged tag) is NORMAL. */
	static Orientation of(int exifValue) {
		return exifValue >= 1 && exifValue <= 8 ? values()[exifValue - 1] : NORMAL;
	}

	/** Whether the upright picture is the stored one turned by a quarter (width and height swap). */
	boolean swapsAxes() {
		return ordinal() >= TRANSPOSE.ordinal();
	}

	int uprightWidth(int storedWidth, int storedHeight) {
		return swapsAxes() ? storedHeight : storedWidth;
	}

	int uprightHeight(int storedWidth, int storedHeight) {
		return swapsAxes() ? storedWidth : storedHeight;
	}

	/** Maps the stored picture's coordinates to the upright picture's. */
	AffineTransform toUpright(int storedWidth, int storedHeight) {
		double w = storedWidth;
		double h = storedHeight;
		return switch (this) {
			case NORMAL -> new AffineTransform();
			case MIRROR_HORIZONTAL -> new AffineTransform(-1, 0, 0, 1, w, 0);
			case ROTATE_180 -> new AffineTransform(-1, 0, 0, -1, w, h);
			case MIRROR_VERTICAL -> new AffineTransform(1, 0, 0, -1, 0, h);
			// x' = y, y' = x
			case TRANSPOSE -> new AffineTransform(0, 1, 1, 0, 0, 0);
			// x' = h - y, y' = x: the top-left corner goes to the top right.
			case ROTATE_90_CW -> new AffineTransform(0, 1, -1, 0, h, 0);
			// x' = h - y, y' = w - x
			case TRANSVERSE -> new AffineTransform(0, -1, -1, 0, h, w);
			// x' = y, y' = w - x: the top-left corner goes to the bottom left.
			case ROTATE_90_CCW -> new AffineTransform(0, -1, 1, 0, 0, w);
		};
	}

}
