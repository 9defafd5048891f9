package dev.bookmarks.auth.oidc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreviousSigningKeysTest {

	@TempDir
	Path folder;

	@Test
	void nothingConfiguredMeansNoPreviousKeys() {
		assertThat(PreviousSigningKeys.load(null)).isEmpty();
		assertThat(PreviousSigningKeys.load(" ")).isEmpty();
	}

	@Test
	void aFolderIsReadInNameOrderSkippingHiddenEntriesAndOnlyPublicPartsAreKept() throws Exception {
		RSAKey jwk = new RSAKey.Builder(SigningKeys.generate()).keyID("2025-key").build();
		RSAKey set1 = SigningKeys.generate();
		RSAKey set2 = SigningKeys.generate();
		RSAKey oldSigningKey = SigningKeys.generate();
		Files.writeString(folder.resolve("a-jwk.json"), jwk.toJSONString());
		Files.writeString(folder.resolve("b-set.json"), new JWKSet(List.of(set1, set2)).toString(false));
		Files.writeString(folder.resolve("c-old-signing-key.pem"), privatePem(oldSigningKey));
		// What a mounted Kubernetes secret brings along.
		Files.createDirectory(folder.resolve("..data"));
		Files.writeString(folder.resolve(".hidden"), "not a key");

		List<RSAKey> keys = PreviousSigningKeys.load(folder.toString());

		assertThat(keys).extracting(RSAKey::getKeyID)
			.containsExactly("2025-key", set1.getKeyID(), set2.getKeyID(),
					oldSigningKey.computeThumbprint().toString());
		assertThat(keys).allSatisfy(key -> {
			assertThat(key.isPrivate()).isFalse();
			assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
			assertThat(key.getAlgorithm().getName()).isEqualTo("RS256");
		});
		assertThat(keys.get(3).toRSAPublicKey()).isEqualTo(oldSigningKey.toRSAPublicKey());
	}

	@Test
	void commaSeparatedFilesWithPublicPemKeysAndCertificatesAreRead() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		java.security.PublicKey publicKey = generator.generateKeyPair().getPublic();
		Path pem = Files.writeString(folder.resolve("old.pem"), "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(publicKey.getEncoded())
				+ "\n-----END PUBLIC KEY-----\n");
		RSAKey jwk = SigningKeys.generate();
		Path json = Files.writeString(folder.resolve("other.json"), jwk.toPublicJWK().toJSONString());

		List<RSAKey> keys = PreviousSigningKeys.load(pem + ", file:" + json);

		assertThat(keys).hasSize(2);
		assertThat(keys.get(0).toRSAPublicKey()).isEqualTo(publicKey);
		assertThat(keys.get(0).getKeyID()).isEqualTo(keys.get(0).computeThumbprint().toString());
		assertThat(keys.get(1).getKeyID()).isEqualTo(jwk.getKeyID());
	}

	@Test
	void aKeyThatCannotHaveSignedOurTokensIsRefused() throws Exception {
		Path ec = Files.writeString(folder.resolve("ec.json"), new ECKeyGenerator(Curve.P_256).generate().toJSONString());
		Path junk = Files.writeString(folder.resolve("junk.txt"), "hello");
		Path pkcs1 = Files.writeString(folder.resolve("rsa.pem"),
				"-----BEGIN RSA PUBLIC KEY-----\nMIIB\n-----END RSA PUBLIC KEY-----\n");

		assertThatThrownBy(() -> PreviousSigningKeys.load(ec.toString())).hasMessageContaining("only RSA");
		assertThatThrownBy(() -> PreviousSigningKeys.load(junk.toString())).hasMessageContaining("neither");
		assertThatThrownBy(() -> PreviousSigningKeys.load(pkcs1.toString())).hasMessageContaining("openssl");
		assertThatThrownBy(() -> PreviousSigningKeys.load(folder.resolve("missing.pem").toString()))
			.hasMessageContaining("missing.pem");
	}

	@Test
	void thePreviousKeyThatIsNowTheSigningKeyIsPublishedOnce() throws Exception {
		Path signingKey = Files.writeString(folder.resolve("current.json"), SigningKeys.generate().toJSONString());
		Path previous = Files.createDirectory(folder.resolve("previous"));
		Files.copy(signingKey, previous.resolve("current.json"));
		RSAKey other = SigningKeys.generate();
		Files.writeString(previous.resolve("other.json"), other.toPublicJWK().toJSONString());

		TokenKeys keys = TokenKeys.load(new AuthProperties("http://localhost:8080", "http://localhost:8080/auth",
				"bookmarks-api", folder, signingKey.toString(), null, java.time.Duration.ofMinutes(15),
				java.time.Duration.ofDays(14), previous.toString()));

		assertThat(keys.previousKeys()).extracting(RSAKey::getKeyID).containsExactly(other.getKeyID());
		assertThat(keys.signingKey().isPrivate()).isTrue();
	}

	private static String privatePem(RSAKey key) throws Exception {
		return "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toRSAPrivateKey().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n";
	}

}
