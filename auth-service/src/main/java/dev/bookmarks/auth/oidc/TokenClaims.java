package dev.bookmarks.auth.oidc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountRepository;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * The claims of our tokens. The {@code sub} is already the account id (the principal's name).
 * Access tokens are for every API service ({@code aud}) and carry {@code username} and
 * {@code roles}; ID tokens carry the profile and email claims their scopes allow. The account is
 * read afresh for every token, so a refresh picks up a changed username or role.
 */
final class TokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final AccountRepository accounts;

	private final String audience;

	TokenClaims(AccountRepository accounts, String audience) {
		this.accounts = accounts;
		this.audience = audience;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		Optional<UUID> accountId = accountId(context.getPrincipal().getName());
		if (accountId.isEmpty()) {
			return;
		}
		Account account = accounts.findById(accountId.get())
			.orElseThrow(() -> new OAuth2AuthenticationException(
					new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, "The account no longer exists.", null)));
		JwtClaimsSet.Builder claims = context.getClaims();
		if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			// Mutable lists: the stored authorization keeps these claims as JSON, and its reader
			// accepts only well-known collection types.
			claims.audience(new ArrayList<>(List.of(audience)))
				.claim("client_id", context.getRegisteredClient().getClientId())
				.claim("username", account.username())
				.claim("roles", new ArrayList<>(account.roles()));
		}
		else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
			Set<String> scopes = context.getAuthorizedScopes();
			if (scopes.contains(OidcScopes.PROFILE)) {
				claims.claim(StandardClaimNames.PREFERRED_USERNAME, account.username())
					.claim(StandardClaimNames.NAME, account.displayName());
				putIfPresent(claims, StandardClaimNames.GIVEN_NAME, account.firstName());
				putIfPresent(claims, StandardClaimNames.FAMILY_NAME, account.lastName());
				putIfPresent(claims, StandardClaimNames.PICTURE, account.photoUrl());
			}
			// An account from a social login may have no address.
			if (scopes.contains(OidcScopes.EMAIL) && account.email() != null) {
				// Addresses are not verified yet.
				claims.claim(StandardClaimNames.EMAIL, account.email()).claim(StandardClaimNames.EMAIL_VERIFIED, false);
			}
		}
	}

	private static void putIfPresent(JwtClaimsSet.Builder claims, String name, String value) {
		if (value != null) {
			claims.claim(name, value);
		}
	}

	private static Optional<UUID> accountId(String principalName) {
		try {
			return Optional.of(UUID.fromString(principalName));
		}
		catch (IllegalArgumentException ex) {
			// A client acting for itself (no person behind the token).
			return Optional.empty();
		}
	}

}
