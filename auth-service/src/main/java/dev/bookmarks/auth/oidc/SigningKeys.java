package dev.bookmarks.auth.oidc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.util.Base64;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.util.StringUtils;

/**
 * The RSA key that signs tokens. Loaded from a configured file (operators mount it from a
 * secret), else generated once into the data directory and reused, so that tokens issued before
 * a restart stay valid and the key id stays the same.
 */
final class SigningKeys {

	static final String GENERATED_KEY_PATH = "keys/auth-signing-key.json";

	private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

	private SigningKeys() {
	}

	static RSAKey load(AuthProperties properties) {
		if (StringUtils.hasText(properties.signingKeyLocation())) {
			String location = properties.signingKeyLocation();
			RSAKey key = parse(read(location), location);
			log.info("Signing tokens with the RSA key {} from {}", key.getKeyID(), location);
			return key;
		}
		LocalKeyMaterial material = new LocalKeyMaterial(properties.dataDir());
		String json = material.readOrCreate(GENERATED_KEY_PATH, () -> generate().toJSONString());
		RSAKey key = parse(json, GENERATED_KEY_PATH);
		log.info("Signing tokens with the RSA key {} kept in {}", key.getKeyID(), material.resolve(GENERATED_KEY_PATH));
		return key;
	}

	static RSAKey generate() {
		try {
			return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.keyIDFromThumbprint(true)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot generate an RSA key", ex);
		}
	}

	/** A private RSA key from JWK JSON or a PKCS#8 PEM, with a key id that is stable. */
	static RSAKey parse(String content, String origin) {
		String text = content.strip();
		try {
			RSAKey key;
			if (text.startsWith("{")) {
				JWK jwk = JWK.parse(text);
				if (!(jwk instanceof RSAKey rsa) || !rsa.isPrivate()) {
					throw new IllegalStateException(origin + " is not a private RSA JWK");
				}
				key = rsa;
			}
			else if (text.contains("-----BEGIN PRIVATE KEY-----")) {
				key = fromPkcs8(text);
			}
			else if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
				throw new IllegalStateException(origin + " is a PKCS#1 key; convert it with "
						+ "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
			}
			else {
				throw new IllegalStateException(origin + " holds neither a JWK nor a PEM private key");
			}
			if (key.getKeyID() == null) {
				key = new RSAKey.Builder(key).keyIDFromThumbprint().build();
			}
			return new RSAKey.Builder(key).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build();
		}
		catch (ParseException | JOSEException | GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot read the signing key from " + origin, ex);
		}
	}

	static RSAKey fromPkcs8(String pem) throws GeneralSecurityException {
		String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
		KeyFactory factory = KeyFactory.getInstance("RSA");
		RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) factory
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
		BigInteger modulus = privateKey.getModulus();
		RSAPublicKey publicKey = (RSAPublicKey) factory
			.generatePublic(new RSAPublicKeySpec(modulus, privateKey.getPublicExponent()));
		return new RSAKey.Builder(publicKey).privateKey(privateKey).build();
	}

	static String read(String location) {
		Resource resource = new DefaultResourceLoader().getResource(
				location.contains(":") && !location.startsWith("/") ? location : "file:" + location);
		try (InputStream in = resource.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the key file " + location, ex);
		}
	}

}
