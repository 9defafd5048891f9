package dev.bookmarks.activity;

import dev.bookmarks.platform.test.ServiceContractChecks;
import dev.bookmarks.platform.test.ServiceTestProperties;
import reactor.blockhound.BlockHound;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service starts on real infrastructure and keeps the platform's promises. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActivityApplicationTest extends ServiceContractChecks {

	static {
		BlockHound.install();
	}

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ServiceTestProperties.r2dbc(registry, "activity");
		ServiceTestProperties.kafka(registry);
		ServiceTestProperties.tokens(registry);
	}

	@Override
	protected String protectedApiPath() {
		return "/api/feed";
	}

}
