package dev.bookmarks.auth.oidc;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The refresh_token grant with reuse detection (RFC 9700, section 4.14.2). Every refresh replaces
 * the token; a replaced token that comes back means two parties hold it, the client and a thief,
 * and nobody can tell which one is asking. So the whole authorization the token belonged to is
 * revoked: the newest refresh token stops working too, and the person signs in again.
 * <p>
 * Wraps Spring Authorization Server's own provider. The rotation and the record of the used token
 * share one transaction, so two requests racing with the same token cannot both win: the second
 * one's record collides with the first's and counts as reuse.
 */
final class RefreshTokenReuseDetection implements AuthenticationProvider {

	private static final Logger log = LoggerFactory.getLogger(RefreshTokenReuseDetection.class);

	private final AuthenticationProvider refreshTokens;

	private final OAuth2AuthorizationService authorizations;

	private final UsedRefreshTokens usedTokens;

	private final TransactionTemplate transactions;

	RefreshTokenReuseDetection(OAuth2RefreshTokenAuthenticationProvider refreshTokens,
			OAuth2AuthorizationService authorizations, UsedRefreshTokens usedTokens, TransactionTemplate transactions) {
		this.refreshTokens = refreshTokens;
		this.authorizations = authorizations;
		this.usedTokens = usedTokens;
		this.transactions = transactions;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		OAuth2RefreshTokenAuthenticationToken request = (OAuth2RefreshTokenAuthenticationToken) authentication;
		String presented = request.getRefreshToken();
		try {
			return transactions.execute(status -> rotate(request, presented));
		}
		catch (ConcurrentReuse ex) {
			revoke(ex.authorizationId);
			throw invalidGrant();
		}
		catch (OAuth2AuthenticationException ex) {
			// Looked up only after a failure, so a good refresh costs no extra query for it.
			if (OAuth2ErrorCodes.INVALID_GRANT.equals(ex.getError().getErrorCode())) {
				usedTokens.authorizationOf(presented).ifPresent(this::revoke);
			}
			throw ex;
		}
	}

	private Authentication rotate(OAuth2RefreshTokenAuthenticationToken request, String presented) {
		OAuth2Authorization current = authorizations.findByToken(presented, OAuth2TokenType.REFRESH_TOKEN);
		Authentication result = refreshTokens.authenticate(request);
		if (current != null && result instanceof OAuth2AccessTokenAuthenticationToken tokens
				&& tokens.getRefreshToken() != null && !presented.equals(tokens.getRefreshToken().getTokenValue())) {
			OAuth2RefreshToken used = current.getRefreshToken().getToken();
			Instant expiresAt = used.getExpiresAt() != null ? used.getExpiresAt() : tokens.getRefreshToken().getExpiresAt();
			if (!usedTokens.record(presented, current.getId(), expiresAt)) {
				throw new ConcurrentReuse(current.getId());
			}
		}
		return result;
	}

	private void revoke(String authorizationId) {
		OAuth2Authorization authorization = authorizations.findById(authorizationId);
		if (authorization == null) {
			log.warn("A refresh token of authorization {} was used again; it is revoked already", authorizationId);
			return;
		}
		authorizations.remove(authorization);
		log.warn("A refresh token was used a second time; revoked authorization {} of client {} for account {}",
				authorizationId, authorization.getRegisteredClientId(), authorization.getPrincipalName());
	}

	private static OAuth2AuthenticationException invalidGrant() {
		return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return OAuth2RefreshTokenAuthenticationToken.class.isAssignableFrom(authentication);
	}

	/** The token was used by a request that committed first; rolls the rotation back. */
	private static final class ConcurrentReuse extends RuntimeException {

		private final String authorizationId;

		ConcurrentReuse(String authorizationId) {
			super(null, null, false, false);
			this.authorizationId = authorizationId;
		}

	}

}
