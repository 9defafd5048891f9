package dev.bookmarks.auth.oidc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;

import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysTest {

	@TempDir
	Path dataDir;

	@Test
	void aGeneratedKeyIsWrittenOnceAndReusedAfterARestart() throws Exception {
		RSAKey first = SigningKeys.load(properties(null));
		RSAKey afterRestart = SigningKeys.load(properties(null));

		Path file = dataDir.resolve(SigningKeys.GENERATED_KEY_PATH);
		assertThat(file).exists();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(first.isPrivate()).isTrue();
		assertThat(afterRestart.getKeyID()).isEqualTo(first.getKeyID());
		assertThat(afterRestart.toRSAPublicKey()).isEqualTo(first.toRSAPublicKey());
		assertThat(first.getKeyID()).isEqualTo(first.computeThumbprint().toString());
	}

	@Test
	void aConfiguredPkcs8PemKeyIsUsedWithAStableKeyId() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair pair = generator.generateKeyPair();
		String pem = "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n";
		Path file = Files.writeString(dataDir.resolve("key.pem"), pem);

		RSAKey first = SigningKeys.load(properties(file.toString()));
		RSAKey second = SigningKeys.load(properties(file.toString()));

		assertThat(first.toRSAPublicKey()).isEqualTo(pair.getPublic());
		assertThat(first.isPrivate()).isTrue();
		assertThat(second.getKeyID()).isEqualTo(first.getKeyID()).isNotBlank();
		assertThat(dataDir.resolve(SigningKeys.GENERATED_KEY_PATH)).doesNotExist();
	}

	@Test
	void aConfiguredJwkKeepsItsKeyId() throws Exception {
		RSAKey key = new RSAKey.Builder(SigningKeys.generate()).keyID("operator-key-2026").build();
		Path file = Files.writeString(dataDir.resolve("key.json"), key.toJSONString());

		assertThat(SigningKeys.load(properties("file:" + file)).getKeyID()).isEqualTo("operator-key-2026");
	}

	@Test
	void aPublicOnlyJwkIsRefused() throws Exception {
		Path file = Files.writeString(dataDir.resolve("public.json"), SigningKeys.generate().toPublicJWK().toJSONString());

		assertThatThrownBy(() -> SigningKeys.load(properties(file.toString())))
			.hasMessageContaining("not a private RSA JWK");
	}

	@Test
	void aPkcs1PemIsRefusedWithAHowToConvertIt() throws Exception {
		Path file = Files.writeString(dataDir.resolve("rsa.pem"),
				"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");

		assertThatThrownBy(() -> SigningKeys.load(properties(file.toString()))).hasMessageContaining("openssl pkcs8");
	}

	private AuthProperties properties(String signingKeyLocation) {
		return new AuthProperties("http://localhost:8080", "http://localhost:8080/auth", "bookmarks-api", dataDir,
				signingKeyLocation, null, Duration.ofMinutes(15), Duration.ofDays(14), null);
	}

}
