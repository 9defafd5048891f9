package dev.bookmarks.bookmark.picture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The subsampling math: decode no more than the largest stored picture needs, within a byte bound. */
class DecodePlanTest {

	private static final long BOUND = ImageProcessor.MAX_DECODED_BYTES;

	@Test
	void aFiftyMegapixelSquareIsDecodedAtAThirdOfItsEdge() {
		DecodePlan plan = DecodePlan.of(7071, 7071, 3, 2048, BOUND);

		assertThat(plan.step()).isEqualTo(3);
		assertThat(plan.decodedWidth()).isEqualTo(2357);
		assertThat(plan.decodedHeight()).isEqualTo(2357);
		assertThat(plan.decodedBytes()).isEqualTo(2357L * 2357 * 3);
	}

	@Test
	void aPictureWithinTheStoredSizeIsDecodedWhole() {
		DecodePlan plan = DecodePlan.of(640, 480, 4, 2048, BOUND);

		assertThat(plan.step()).isEqualTo(1);
		assertThat(plan.decodedWidth()).isEqualTo(640);
		assertThat(plan.decodedHeight()).isEqualTo(480);
	}

	@Test
	void theByteBoundWinsOverDetail() {
		// 4095 px would need no subsampling for a 2048-px picture, but 4095² 16-bit RGBA is 128 MiB.
		DecodePlan plan = DecodePlan.of(4095, 4095, 8, 2048, BOUND);

		assertThat(plan.step()).isEqualTo(2);
		assertThat(plan.decodedWidth()).isEqualTo(2048);
		assertThat(plan.decodedBytes()).isLessThanOrEqualTo(BOUND);
	}

	@Test
	void aLongStripIsSubsampledAlongItsLongEdge() {
		DecodePlan plan = DecodePlan.of(1024, 48_828, 3, 2048, BOUND);

		assertThat(plan.step()).isEqualTo(23);
		assertThat(plan.decodedWidth()).isEqualTo(45);
		assertThat(plan.decodedHeight()).isEqualTo(2123);
	}

	@Test
	void everyPlanStaysWithinTheBoundAndKeepsTheStoredPicturesPixels() {
		int[] edges = { 1, 7, 299, 1024, 2047, 2048, 2049, 3000, 4095, 4096, 6000, 7071, 10_000, 16_383, 50_000 };
		for (int width : edges) {
			for (int height : edges) {
				if ((long) width * height > 50_000_000L) {
					continue;
				}
				for (int bytesPerPixel : new int[] { 1, 3, 4, 8 }) {
					DecodePlan plan = DecodePlan.of(width, height, bytesPerPixel, 2048, BOUND);
					String name = width + "x" + height + "@" + bytesPerPixel;
					assertThat(plan.decodedBytes()).as(name).isLessThanOrEqualTo(BOUND);
					assertThat(plan.decodedWidth()).as(name).isEqualTo(DecodePlan.subsampled(width, plan.step()));
					int longest = Math.max(plan.decodedWidth(), plan.decodedHeight());
					if (plan.step() > 1 && bytesPerPixel <= 4) {
						// Subsampled for size alone: still at least the 2048 px (or most of them) the stored picture has.
						assertThat(longest).as(name).isGreaterThanOrEqualTo(1024);
					}
					// Never twice the stored picture's edge: more would be thrown away by the scaling.
					assertThat(longest).as(name).isLessThan(2 * 2048);
				}
			}
		}
	}

	@Test
	void subsampledCountsAreCeilings() {
		assertThat(DecodePlan.subsampled(7071, 3)).isEqualTo(2357);
		assertThat(DecodePlan.subsampled(7072, 3)).isEqualTo(2358);
		assertThat(DecodePlan.subsampled(1, 5)).isEqualTo(1);
	}

}
