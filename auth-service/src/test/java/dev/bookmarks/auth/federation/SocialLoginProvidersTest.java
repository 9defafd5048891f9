package dev.bookmarks.auth.federation;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.security.config.oauth2.client.CommonOAuth2Provider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

import static org.assertj.core.api.Assertions.assertThat;

/** Which buttons the login page shows. */
class SocialLoginProvidersTest {

	@Test
	void withoutRegistrationsThereAreNoButtons() {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

		SocialLogin socialLogin = new SocialLogin(beans.getBeanProvider(ClientRegistrationRepository.class), null, null);

		assertThat(socialLogin.providers()).isEmpty();
	}

	@Test
	void everyLoginRegistrationGetsAButtonByNameButMachineClientsDoNot() {
		ClientRegistration github = CommonOAuth2Provider.GITHUB.getBuilder("github")
			.clientId("id")
			.clientSecret("secret")
			.build();
		ClientRegistration google = CommonOAuth2Provider.GOOGLE.getBuilder("google")
			.clientId("id")
			.clientSecret("secret")
			.build();
		ClientRegistration machine = ClientRegistration.withRegistrationId("machine")
			.clientId("id")
			.clientSecret("secret")
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.tokenUri("https://idp.example/token")
			.build();
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("registrations", new InMemoryClientRegistrationRepository(google, machine, github));

		SocialLogin socialLogin = new SocialLogin(beans.getBeanProvider(ClientRegistrationRepository.class), null, null);

		assertThat(socialLogin.providers()).containsExactly(
				new SocialLogin.Provider("github", "GitHub", "/oauth2/authorization/github"),
				new SocialLogin.Provider("google", "Google", "/oauth2/authorization/google"));
	}

}
