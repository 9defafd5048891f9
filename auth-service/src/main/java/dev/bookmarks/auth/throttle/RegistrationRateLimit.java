package dev.bookmarks.auth.throttle;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Registrations per client address ({@code POST /api/accounts}): beyond the limit, 429 with
 * {@code Retry-After}. Every attempt counts, refused ones too (a 409 tells whether a name is
 * taken), except those over the limit. An interceptor rather than code in the controller, so that
 * registration itself stays about accounts.
 */
@Configuration(proxyBeanMethods = false)
class RegistrationRateLimit implements WebMvcConfigurer {

	static final String REGISTRATION = "registration-address";

	private final RateLimits rateLimits;

	private final ClientAddress clientAddress;

	private final Limit limit;

	RegistrationRateLimit(RateLimits rateLimits, ClientAddress clientAddress, ThrottlingProperties properties) {
		this.rateLimits = rateLimits;
		this.clientAddress = clientAddress;
		this.limit = properties.registrationsPerAddress();
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new HandlerInterceptor() {

			@Override
			public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
				if ("POST".equals(request.getMethod())) {
					RateLimits.Decision decision = rateLimits.tryAcquire(REGISTRATION, clientAddress.of(request), limit);
					if (!decision.allowed()) {
						throw new TooManyRequestsException(
								"Too many registrations from your address. Try again later.", decision.retryAfter());
					}
				}
				return true;
			}

		}).addPathPatterns("/api/accounts");
	}

}
