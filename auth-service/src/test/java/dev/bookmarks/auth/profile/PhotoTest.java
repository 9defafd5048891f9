package dev.bookmarks.auth.profile;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.ImageIO;

import dev.bookmarks.auth.SignedInTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code PUT /api/accounts/me/photo} and {@code GET /media/avatars/...} over real HTTP. */
class PhotoTest extends SignedInTest {

	private static final String AVATAR_URL = "^" + java.util.regex.Pattern.quote(PUBLIC_ORIGIN)
			+ "/media/avatars/([0-9a-f]{64})\\.jpg$";

	@Test
	void aJpegIsReEncodedWithoutItsMetadataAndServedToAnyoneForEver() throws Exception {
		Person ada = newPerson("photo");
		byte[] upload = cameraJpeg(halves(640, 480, Color.RED, Color.BLUE), 1, "secret-exif-description",
				"secret-jpeg-comment");

		HttpResponse<String> response = putPhoto(ada.accessToken(), upload, "me.jpg", "image/jpeg");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode account = json(response);
		assertThat(account.get("id").asString()).isEqualTo(ada.id().toString());
		String photoUrl = account.get("photoUrl").asString();
		assertThat(photoUrl).matches(AVATAR_URL);
		assertThat(json(get("/api/accounts/me", ada.accessToken())).get("photoUrl").asString()).isEqualTo(photoUrl);

		HttpResponse<byte[]> served = media(photoUrl, null);
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.headers().firstValue("Content-Type")).hasValue("image/jpeg");
		assertThat(served.headers().firstValue("Cache-Control")).hasValueSatisfying(cache -> assertThat(cache)
			.contains("public", "max-age=31536000", "immutable").doesNotContain("no-store", "no-cache", "private"));
		assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(served.headers().firstValue("Set-Cookie")).isEmpty();
		String sha256 = sha256(served.body());
		assertThat(served.headers().firstValue("ETag")).hasValue("\"" + sha256 + "\"");
		assertThat(photoUrl).endsWith("/" + sha256 + ".jpg");
		String bytes = new String(served.body(), StandardCharsets.ISO_8859_1);
		assertThat(bytes).doesNotContain("secret-exif-description", "secret-jpeg-comment", "Exif");
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(served.body()));
		assertThat(image.getWidth()).isEqualTo(256);
		assertThat(image.getHeight()).isEqualTo(256);
	}

	static Stream<Arguments> acceptedFormats() {
		return Stream.of(Arguments.of("PNG", png(halves(300, 500, Color.RED, Color.BLUE)), "a.png"),
				Arguments.of("GIF", encode(halves(500, 300, Color.RED, Color.BLUE), "gif"), "a.gif"),
				Arguments.of("lossy WebP", resource("photos/landscape-320x200.webp"), "a.webp"),
				Arguments.of("lossless WebP with alpha", resource("photos/portrait-alpha-120x160.webp"), "a.webp"),
				// Older TwelveMonkeys releases could not decode this one (backward references).
				Arguments.of("lossless WebP of 12 megapixels", resource("photos/lossless-4000x3000.webp"), "a.webp"),
				Arguments.of("tiny PNG", png(halves(3, 2, Color.RED, Color.BLUE)), "tiny.png"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("acceptedFormats")
	void everyAcceptedFormatBecomesASquareJpegThumbnail(String format, byte[] upload, String fileName)
			throws Exception {
		Person person = newPerson("format");

		// The declared type is ignored: only the bytes count.
		HttpResponse<String> response = putPhoto(person.accessToken(), upload, fileName, "application/octet-stream");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		HttpResponse<byte[]> served = media(json(response).get("photoUrl").asString(), null);
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()[0] & 0xff).isEqualTo(0xff);
		assertThat(served.body()[1] & 0xff).isEqualTo(0xd8);
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(served.body()));
		assertThat(image.getWidth()).isEqualTo(256).isEqualTo(image.getHeight());
	}

	@Test
	void theThumbnailIsTheCentreSquareOfTheUpload() throws Exception {
		Person person = newPerson("centre");
		// Blue bands left and right, red in the middle square.
		BufferedImage wide = new BufferedImage(900, 300, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = wide.createGraphics();
		graphics.setColor(Color.BLUE);
		graphics.fillRect(0, 0, 900, 300);
		graphics.setColor(Color.RED);
		graphics.fillRect(300, 0, 300, 300);
		graphics.dispose();

		HttpResponse<String> response = putPhoto(person.accessToken(), png(wide), "wide.png", "image/png");

		BufferedImage image = ImageIO.read(new ByteArrayInputStream(media(json(response).get("photoUrl").asString(),
				null).body()));
		for (int[] point : new int[][] { { 5, 5 }, { 250, 5 }, { 128, 128 }, { 5, 250 }, { 250, 250 } }) {
			assertThat(isReddish(image.getRGB(point[0], point[1]))).as("pixel %s,%s", point[0], point[1]).isTrue();
		}
	}

	@Test
	void aPhoneJpegIsTurnedUprightByItsExifOrientation() throws Exception {
		Person person = newPerson("phone");
		// Stored sideways: red left, blue right. Orientation 6 says "turn 90 degrees clockwise to view",
		// so upright the red half is on top.
		byte[] upload = cameraJpeg(halves(400, 400, Color.RED, Color.BLUE), 6, "phone", "phone");

		HttpResponse<String> response = putPhoto(person.accessToken(), upload, "IMG_0001.JPG", "image/jpeg");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(media(json(response).get("photoUrl").asString(),
				null).body()));
		assertThat(isReddish(image.getRGB(128, 20))).as("top").isTrue();
		assertThat(isReddish(image.getRGB(128, 235))).as("bottom").isFalse();
	}

	@Test
	void aConditionalRequestWithTheEtagGets304AndNoBody() {
		Person person = newPerson("etag");
		String photoUrl = json(putPhoto(person.accessToken(), png(halves(64, 64, Color.GREEN, Color.BLACK)), "a.png",
				"image/png")).get("photoUrl").asString();
		String etag = media(photoUrl, null).headers().firstValue("ETag").orElseThrow();

		HttpResponse<byte[]> again = media(photoUrl, etag);
		HttpResponse<byte[]> other = media(photoUrl, "\"" + "0".repeat(64) + "\"");

		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		assertThat(again.headers().firstValue("ETag")).hasValue(etag);
		assertThat(again.headers().firstValue("Cache-Control")).hasValueSatisfying(
				cache -> assertThat(cache).contains("max-age=31536000", "immutable"));
		assertThat(other.statusCode()).isEqualTo(200);
	}

	@Test
	void anUnknownPhotoIsA404() {
		assertThat(media(PUBLIC_ORIGIN + "/media/avatars/" + "ab".repeat(32) + ".jpg", null).statusCode())
			.isEqualTo(404);
		assertThat(media(PUBLIC_ORIGIN + "/media/avatars/../../api/accounts/me", null).statusCode()).isIn(400, 404);
		assertThat(media(PUBLIC_ORIGIN + "/media/avatars/nothex.jpg", null).statusCode()).isEqualTo(404);
	}

	@Test
	void aNewPhotoReplacesTheOldOneWhichIsDeletedWhenNobodyShowsIt() {
		Person person = newPerson("replace");
		Person twin = newPerson("twin");
		byte[] shared = png(halves(80, 80, Color.ORANGE, Color.BLACK));
		String first = json(putPhoto(person.accessToken(), png(halves(80, 80, Color.PINK, Color.BLACK)), "1.png",
				"image/png")).get("photoUrl").asString();
		String second = json(putPhoto(person.accessToken(), shared, "2.png", "image/png")).get("photoUrl").asString();
		assertThat(json(putPhoto(twin.accessToken(), shared, "2.png", "image/png")).get("photoUrl").asString())
			.as("the same picture is stored once").isEqualTo(second);

		String third = json(putPhoto(person.accessToken(), png(halves(80, 80, Color.CYAN, Color.BLACK)), "3.png",
				"image/png")).get("photoUrl").asString();

		assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
		assertThat(media(first, null).statusCode()).as("no one shows the first").isEqualTo(404);
		assertThat(media(second, null).statusCode()).as("the twin still shows the second").isEqualTo(200);
		assertThat(media(third, null).statusCode()).isEqualTo(200);
		List<JsonNode> events = outboxPayloads(person.id(), "UserProfileUpdated");
		assertThat(events).extracting(event -> event.get("photoUrl").asString()).containsExactly(first, second, third);
	}

	@Test
	void uploadingTheSamePhotoAgainChangesNothing() {
		Person person = newPerson("again");
		byte[] upload = png(halves(50, 50, Color.MAGENTA, Color.WHITE));
		String first = json(putPhoto(person.accessToken(), upload, "a.png", "image/png")).get("photoUrl").asString();

		HttpResponse<String> again = putPhoto(person.accessToken(), upload, "a.png", "image/png");

		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(json(again).get("photoUrl").asString()).isEqualTo(first);
		assertThat(outboxPayloads(person.id(), "UserProfileUpdated")).hasSize(1);
	}

	static Stream<Arguments> refusedUploads() {
		byte[] svg = """
				<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
				<script>alert(document.cookie)</script></svg>""".getBytes(StandardCharsets.UTF_8);
		byte[] html = "<!doctype html><html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
		byte[] jpeg = encode(halves(200, 200, Color.RED, Color.BLUE), "jpeg");
		byte[] truncated = java.util.Arrays.copyOf(jpeg, 200);
		// A valid JPEG start and then 5 MiB and one byte in all.
		byte[] oversize = java.util.Arrays.copyOf(jpeg, 5 * 1024 * 1024 + 1);
		return Stream.of(Arguments.of("an SVG image", svg, "me.svg", "image/svg+xml", "not a JPEG, PNG, GIF or WebP"),
				Arguments.of("an SVG image named .jpg", svg, "me.jpg", "image/jpeg", "not a JPEG"),
				Arguments.of("an HTML page named .png", html, "me.png", "image/png", "not a JPEG"),
				Arguments.of("a truncated JPEG", truncated, "me.jpg", "image/jpeg", "could not be read"),
				Arguments.of("an empty file", new byte[0], "me.jpg", "image/jpeg", "empty"),
				Arguments.of("a file over 5 MiB", oversize, "me.jpg", "image/jpeg", "at most 5 MiB"),
				Arguments.of("a PNG of 50 megapixels in a few bytes", pngClaiming(10_000, 5_000), "bomb.png",
						"image/png", "40 megapixels"),
				Arguments.of("a GIF of 42 megapixels", gifClaiming(6_500, 6_500), "bomb.gif", "image/gif",
						"40 megapixels"));
	}

	@ParameterizedTest(name = "{0} is refused")
	@MethodSource("refusedUploads")
	void anUploadThatIsNoAcceptablePhotoIsRefusedAndNothingIsStored(String description, byte[] upload,
			String fileName, String contentType, String reason) {
		Person person = newPerson("refused");
		long avatarsBefore = avatarCount();

		HttpResponse<String> response = putPhoto(person.accessToken(), upload, fileName, contentType);

		assertThat(invalidFields(response)).containsExactly("file");
		assertThat(json(response).get("errors").get(0).get("message").asString()).contains(reason);
		assertThat(avatarCount()).isEqualTo(avatarsBefore);
		assertThat(json(get("/api/accounts/me", person.accessToken())).get("photoUrl").isNull()).isTrue();
		assertThat(outboxPayloads(person.id(), "UserProfileUpdated")).isEmpty();
	}

	@Test
	void aBodyFarOverTheLimitIsRefusedBeforeItIsRead() {
		Person person = newPerson("huge");
		long avatarsBefore = avatarCount();

		HttpResponse<String> response;
		try {
			response = putPhoto(person.accessToken(), new byte[8 * 1024 * 1024], "huge.jpg", "image/jpeg");
		}
		catch (UncheckedIOException ex) {
			// The server may close the connection rather than read megabytes it refused.
			response = null;
		}

		// Tomcat may answer and then close the connection; either way nothing is stored.
		if (response != null) {
			assertThat(invalidFields(response)).containsExactly("file");
			assertThat(json(response).get("errors").get(0).get("message").asString()).contains("5 MiB");
		}
		assertThat(avatarCount()).isEqualTo(avatarsBefore);
		assertThat(json(get("/api/accounts/me", person.accessToken())).get("photoUrl").isNull()).isTrue();
	}

	@Test
	void aRequestWithoutTheFilePartIsA400NamingIt() {
		Person person = newPerson("nofile");
		String boundary = "b" + UUID.randomUUID();
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--" + boundary
				+ "--\r\n";

		HttpResponse<String> response = call("PUT", "/api/accounts/me/photo", person.accessToken(),
				"multipart/form-data; boundary=" + boundary, HttpRequest.BodyPublishers.ofString(body));

		assertThat(invalidFields(response)).containsExactly("file");
	}

	@Test
	void withoutATokenAnUploadIsA401ProblemAndNothingIsStored() {
		long avatarsBefore = avatarCount();

		HttpResponse<String> response = putPhoto(null, png(halves(20, 20, Color.RED, Color.RED)), "a.png", "image/png");

		assertProblem(response, 401);
		assertThat(avatarCount()).isEqualTo(avatarsBefore);
	}

	// ----- helpers -----

	private long avatarCount() {
		return jdbc.queryForObject("SELECT count(*) FROM avatar", Long.class);
	}

	/** GETs a public photo URL from this service (its path under /auth), without credentials. */
	private HttpResponse<byte[]> media(String publicUrl, String ifNoneMatch) {
		String path = publicUrl.substring(PUBLIC_ORIGIN.length());
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20));
		if (ifNoneMatch != null) {
			request.header("If-None-Match", ifNoneMatch);
		}
		try {
			return plainClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static boolean isReddish(int rgb) {
		Color color = new Color(rgb);
		return color.getRed() > 180 && color.getBlue() < 90;
	}

	static BufferedImage halves(int width, int height, Color left, Color right) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(left);
		graphics.fillRect(0, 0, width / 2, height);
		graphics.setColor(right);
		graphics.fillRect(width / 2, 0, width - width / 2, height);
		graphics.dispose();
		return image;
	}

	static byte[] png(BufferedImage image) {
		return encode(image, "png");
	}

	static byte[] encode(BufferedImage image, String format) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			assertThat(ImageIO.write(image, format, out)).isTrue();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	static byte[] resource(String path) {
		try (InputStream in = PhotoTest.class.getClassLoader().getResourceAsStream(path)) {
			assertThat(in).as(path).isNotNull();
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A JPEG as a camera writes it: SOI, then an APP1 EXIF segment (orientation and a description),
	 * a comment segment, and no JFIF APP0.
	 */
	static byte[] cameraJpeg(BufferedImage image, int orientation, String description, String comment) {
		byte[] plain = encode(image, "jpeg");
		int rest = 2;
		if ((plain[2] & 0xff) == 0xff && (plain[3] & 0xff) == 0xe0) {
			rest = 4 + (((plain[4] & 0xff) << 8) | (plain[5] & 0xff));
		}
		byte[] text = (description + "\0").getBytes(StandardCharsets.US_ASCII);
		ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4 + text.length);
		tiff.put(new byte[] { 'M', 'M', 0, 42, 0, 0, 0, 8 });
		tiff.putShort((short) 2);
		tiff.putShort((short) 0x010e).putShort((short) 2).putInt(text.length).putInt(8 + 2 + 2 * 12 + 4);
		tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
		tiff.putInt(0);
		tiff.put(text);
		byte[] exif = tiff.array();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0xff);
		out.write(0xd8);
		segment(out, 0xe1, concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), exif));
		segment(out, 0xfe, comment.getBytes(StandardCharsets.US_ASCII));
		out.write(plain, rest, plain.length - rest);
		return out.toByteArray();
	}

	private static void segment(ByteArrayOutputStream out, int marker, byte[] data) {
		out.write(0xff);
		out.write(marker);
		int length = data.length + 2;
		out.write(length >> 8);
		out.write(length & 0xff);
		out.writeBytes(data);
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

	/** A well-formed PNG header that claims a huge picture, followed by a tiny compressed stream. */
	static byte[] pngClaiming(int width, int height) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
			.put((byte) 0).put((byte) 0).put((byte) 0).array());
		Deflater deflater = new Deflater();
		deflater.setInput(new byte[4096]);
		deflater.finish();
		byte[] compressed = new byte[1024];
		int length = deflater.deflate(compressed);
		chunk(out, "IDAT", java.util.Arrays.copyOf(compressed, length));
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(typeBytes);
		out.writeBytes(data);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	/** A GIF whose screen and first image claim {@code width x height}, with almost no data. */
	static byte[] gifClaiming(int width, int height) {
		ByteBuffer gif = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		gif.put("GIF89a".getBytes(StandardCharsets.US_ASCII));
		gif.putShort((short) width).putShort((short) height).put((byte) 0x80).put((byte) 0).put((byte) 0);
		gif.put(new byte[] { 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff });
		gif.put((byte) 0x2c).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height)
			.put((byte) 0);
		gif.put((byte) 2).put((byte) 2).put((byte) 0x4c).put((byte) 0x01).put((byte) 0).put((byte) 0x3b);
		return java.util.Arrays.copyOf(gif.array(), gif.position());
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
