package dev.bookmarks.events.image;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the wire shape of the image events and where each travels. */
class ImageEventsJsonTest {

	private static final UUID IMAGE = UUID.fromString("11111111-2222-4333-8444-555555555555");

	private static final UUID OWNER = UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");

	private static final UUID USER = UUID.fromString("99999999-8888-4777-8666-555555555555");

	private static final Instant AT = Instant.parse("2026-11-21T10:15:30Z");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void everyImageEventHasItsVersionOneFields() {
		assertThat(json.writeValueAsString(new ImageBookmarked(IMAGE, OWNER, "ada", "Sunset", "sunset",
				"http://localhost:8080/media/images/abc.jpg", AT)))
			.isEqualTo("{\"imageId\":\"" + IMAGE + "\",\"ownerId\":\"" + OWNER
					+ "\",\"ownerUsername\":\"ada\",\"title\":\"Sunset\",\"slug\":\"sunset\","
					+ "\"thumbnailUrl\":\"http://localhost:8080/media/images/abc.jpg\",\"createdAt\":\"2026-11-21T10:15:30Z\"}");
		assertThat(json.writeValueAsString(new ImageLiked(IMAGE, OWNER, USER, "bob", 3, AT)))
			.isEqualTo("{\"imageId\":\"" + IMAGE + "\",\"ownerId\":\"" + OWNER + "\",\"userId\":\"" + USER
					+ "\",\"username\":\"bob\",\"likeCount\":3,\"likedAt\":\"2026-11-21T10:15:30Z\"}");
		assertThat(json.writeValueAsString(new ImageViewed(IMAGE, null, AT)))
			.isEqualTo("{\"imageId\":\"" + IMAGE + "\",\"viewerId\":null,\"viewedAt\":\"2026-11-21T10:15:30Z\"}");
	}

	@Test
	void lifecycleEventsShareTheImageTopicAndViewsHaveTheirOwn() {
		List<DomainEvent> lifecycle = List.of(new ImageBookmarked(IMAGE, OWNER, "ada", "t", "t", null, AT),
				new ImageUpdated(IMAGE, OWNER, "t", "t", "", AT), new ImageDeleted(IMAGE, OWNER, OWNER, AT),
				new ImageLiked(IMAGE, OWNER, USER, "bob", 1, AT), new ImageUnliked(IMAGE, OWNER, USER, 0, AT));

		assertThat(lifecycle).allSatisfy(event -> {
			assertThat(event.topic()).isEqualTo(Topics.IMAGE_EVENTS);
			assertThat(event.aggregateId()).isEqualTo(IMAGE.toString());
			assertThat(event.version()).isEqualTo(1);
		});
		assertThat(lifecycle).extracting(DomainEvent::type)
			.containsExactly("ImageBookmarked", "ImageUpdated", "ImageDeleted", "ImageLiked", "ImageUnliked");
		assertThat(new ImageViewed(IMAGE, USER, AT).topic()).isEqualTo(Topics.IMAGE_VIEWS);
	}

	@Test
	void olderLikePayloadWithoutTheUsernameStillReads() {
		ImageLiked like = json.readValue("{\"imageId\":\"" + IMAGE + "\",\"ownerId\":\"" + OWNER + "\",\"userId\":\""
				+ USER + "\",\"likeCount\":2,\"likedAt\":\"2026-11-21T10:15:30Z\",\"extra\":true}", ImageLiked.class);

		assertThat(like.username()).isNull();
		assertThat(like.likeCount()).isEqualTo(2);
	}

}
