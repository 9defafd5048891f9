package dev.bookmarks.platform.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * A JWT decoder that remembers the access tokens whose signature it has checked. A client sends the
 * same token with every request for up to 15 minutes; parsing it and checking its RSA signature
 * again each time was a measurable part of a cheap read. A token seen before (the same string,
 * signature included) is only validated again (expiry, issuer, audience), never trusted past
 * its expiry.
 *
 * <p>Bounded: at most {@code capacity} tokens (a few KiB each); when full, the expired ones go
 * and, if that is not enough, all of them (they are checked again on their next use). A signing
 * key withdrawn from the key set therefore stops a remembered token only at that token's expiry,
 * as it would for a service that fetched the key set a little earlier.
 */
public final class VerifiedTokens implements ReactiveJwtDecoder {

	private final ReactiveJwtDecoder decoder;

	private final OAuth2TokenValidator<Jwt> validator;

	private final int capacity;

	private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

	/**
	 * @param decoder checks the signature and then {@code validator}
	 * @param validator what the decoder validates, applied again to a remembered token on every use
	 */
	public VerifiedTokens(ReactiveJwtDecoder decoder, OAuth2TokenValidator<Jwt> validator, int capacity) {
		this.decoder = decoder;
		this.validator = validator;
		this.capacity = capacity;
	}

	@Override
	public Mono<Jwt> decode(String token) {
		Jwt known = this.verified.get(token);
		if (known != null) {
			if (!this.validator.validate(known).hasErrors()) {
				return Mono.just(known);
			}
			this.verified.remove(token);
		}
		return this.decoder.decode(token).doOnNext(jwt -> remember(token, jwt));
	}

	int size() {
		return this.verified.size();
	}

	private void remember(String token, Jwt jwt) {
		if (this.verified.size() >= this.capacity) {
			this.verified.values().removeIf(old -> this.validator.validate(old).hasErrors());
			if (this.verified.size() >= this.capacity) {
				this.verified.clear();
			}
		}
		this.verified.put(token, jwt);
	}

}
