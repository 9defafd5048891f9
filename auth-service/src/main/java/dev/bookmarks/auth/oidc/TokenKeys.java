package dev.bookmarks.auth.oidc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of our tokens: the one that signs, and the previous ones that are still published so
 * that what they signed keeps validating. Tokens are signed with the signing key alone; the JWKS
 * and our own validation use all of them.
 *
 * @param signingKey the current RSA key, with its private part
 * @param previousKeys public keys only, none with the signing key's id
 */
record TokenKeys(RSAKey signingKey, List<RSAKey> previousKeys) {

	private static final Logger log = LoggerFactory.getLogger(TokenKeys.class);

	TokenKeys {
		previousKeys = List.copyOf(previousKeys);
	}

	static TokenKeys load(AuthProperties properties) {
		RSAKey signingKey = SigningKeys.load(properties);
		Map<String, RSAKey> previous = new LinkedHashMap<>();
		for (RSAKey key : PreviousSigningKeys.load(properties.previousKeysLocation())) {
			if (key.getKeyID().equals(signingKey.getKeyID())) {
				// Rotation leaves the new key in the previous ones' folder until the next rotation.
				log.info("Previous key {} is the signing key; published once", key.getKeyID());
			}
			else if (previous.putIfAbsent(key.getKeyID(), key) != null) {
				log.warn("Previous key id {} appears twice in {}; publishing the first", key.getKeyID(),
						properties.previousKeysLocation());
			}
		}
		if (!previous.isEmpty()) {
			log.info("Publishing previous signing keys {} for verification only", previous.keySet());
		}
		return new TokenKeys(signingKey, new ArrayList<>(previous.values()));
	}

	/** Everything that validates our tokens: what the JWKS endpoint publishes (public parts only). */
	JWKSource<SecurityContext> verification() {
		List<JWK> keys = new ArrayList<>();
		keys.add(signingKey);
		keys.addAll(previousKeys);
		return new ImmutableJWKSet<>(new JWKSet(keys));
	}

	/** The signing key alone, so that the encoder never picks a verification-only key. */
	JWKSource<SecurityContext> signing() {
		return new ImmutableJWKSet<>(new JWKSet(signingKey));
	}

}
