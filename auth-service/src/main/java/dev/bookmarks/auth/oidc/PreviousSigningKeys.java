package dev.bookmarks.auth.oidc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import org.springframework.util.StringUtils;

/**
 * Keys that signed tokens before the current one and are still published, verification only, so
 * that tokens they signed stay valid until they expire. Rotating the signing key: make the new key
 * the signing key and put the old one here (its public part is enough; a private key file is
 * accepted too and only its public part is used), then remove it once the longest-lived token it
 * signed has expired.
 * <p>
 * {@code bookmarks.auth.previous-keys-location} names a directory (every file in it that does not
 * start with a dot, so that a mounted Kubernetes secret works) or comma-separated files. A file
 * holds a JWK, a JWK Set, or PEM blocks: {@code PUBLIC KEY}, {@code CERTIFICATE} or
 * {@code PRIVATE KEY} (PKCS#8). Keys are RSA, as the tokens are RS256; a key without a key id gets
 * its RFC 7638 thumbprint, as the signing key does.
 */
final class PreviousSigningKeys {

	private static final Pattern PEM_BLOCK = Pattern
		.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

	private PreviousSigningKeys() {
	}

	/** The public keys found at {@code location}, in a stable order; empty when it is blank. */
	static List<RSAKey> load(String location) {
		List<RSAKey> keys = new ArrayList<>();
		if (!StringUtils.hasText(location)) {
			return keys;
		}
		for (String part : location.split(",")) {
			String item = part.strip();
			if (item.isEmpty()) {
				continue;
			}
			Path directory = asDirectory(item);
			if (directory != null) {
				for (Path file : filesIn(directory)) {
					keys.addAll(parse(read(file), file.toString()));
				}
			}
			else {
				keys.addAll(parse(SigningKeys.read(item), item));
			}
		}
		return keys;
	}

	/** Every RSA key in the content, public part only. */
	static List<RSAKey> parse(String content, String origin) {
		String text = content.strip();
		try {
			List<RSAKey> keys = new ArrayList<>();
			if (text.startsWith("{")) {
				List<JWK> jwks = text.contains("\"keys\"") ? JWKSet.parse(text).getKeys() : List.of(JWK.parse(text));
				for (JWK jwk : jwks) {
					if (!(jwk instanceof RSAKey rsa)) {
						throw new IllegalStateException(origin + " holds a " + jwk.getKeyType() + " key; tokens are RS256, "
								+ "only RSA keys can have signed them");
					}
					keys.add(published(rsa.toPublicJWK()));
				}
			}
			else {
				Matcher block = PEM_BLOCK.matcher(text);
				while (block.find()) {
					keys.add(published(fromPem(block.group(1), block.group(2), origin)));
				}
			}
			if (keys.isEmpty()) {
				throw new IllegalStateException(origin + " holds neither a JWK, a JWK Set nor a PEM key");
			}
			return keys;
		}
		catch (ParseException | JOSEException | GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException("Cannot read a previous signing key from " + origin, ex);
		}
	}

	private static RSAKey fromPem(String type, String base64, String origin)
			throws GeneralSecurityException, JOSEException {
		byte[] der = Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
		PublicKey key = switch (type) {
			case "PUBLIC KEY" -> KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
			case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der))
				.getPublicKey();
			case "PRIVATE KEY" -> SigningKeys
				.fromPkcs8("-----BEGIN PRIVATE KEY-----\n" + base64.strip() + "\n-----END PRIVATE KEY-----")
				.toRSAPublicKey();
			case "RSA PUBLIC KEY", "RSA PRIVATE KEY" -> throw new IllegalStateException(origin + " holds a PKCS#1 "
					+ "key; convert it with 'openssl rsa -in key.pem -pubout -out public.pem'");
			default -> throw new IllegalStateException(origin + " holds a PEM " + type + ", not a key");
		};
		if (!(key instanceof RSAPublicKey rsa)) {
			throw new IllegalStateException(origin + " holds a " + key.getAlgorithm() + " key; tokens are RS256, "
					+ "only RSA keys can have signed them");
		}
		return new RSAKey.Builder(rsa).build();
	}

	private static RSAKey published(RSAKey key) throws JOSEException {
		RSAKey.Builder builder = new RSAKey.Builder(key).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256);
		if (key.getKeyID() == null) {
			builder.keyIDFromThumbprint();
		}
		return builder.build();
	}

	private static Path asDirectory(String item) {
		String path = item.startsWith("file:") ? item.substring("file:".length()) : item;
		if (item.contains(":") && !item.startsWith("file:") && !item.startsWith("/")) {
			return null;
		}
		Path candidate = Path.of(path);
		return Files.isDirectory(candidate) ? candidate : null;
	}

	private static List<Path> filesIn(Path directory) {
		try (Stream<Path> entries = Files.list(directory)) {
			Path[] files = entries.filter(file -> !file.getFileName().toString().startsWith("."))
				.filter(Files::isRegularFile)
				.sorted()
				.toArray(Path[]::new);
			return Arrays.asList(files);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list the previous signing keys in " + directory, ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the key file " + file, ex);
		}
	}

}
