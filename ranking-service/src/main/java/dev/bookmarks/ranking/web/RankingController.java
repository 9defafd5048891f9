package dev.bookmarks.ranking.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.bookmarks.platform.web.InvalidRequestException;
import dev.bookmarks.platform.web.Problems.InvalidField;
import dev.bookmarks.ranking.store.ImageStats;
import dev.bookmarks.ranking.store.RankedImage;
import dev.bookmarks.ranking.store.RankingOrder;
import dev.bookmarks.ranking.store.RankingStore;
import dev.bookmarks.ranking.store.RankingWindow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rankings and one image's counters. Parameters are read as text and checked here, so that
 * every bad one is a 400 naming it (a binding failure would not name it), all of them at once.
 */
@RestController
@RequestMapping("/api/rankings")
@Tag(name = "Rankings", description = "The most viewed and most liked images, and one image's counts.")
class RankingController {

	static final String RANKING_EXAMPLE = """
			[{"rank": 1, "imageId": "0b6f7c1e-3a55-4a4e-9a4b-6f1d2a3b4c5d", "title": "Sunset",
			  "thumbnailUrl": "https://bookmarks.example/media/images/2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae.jpg",
			  "score": 42}]""";

	static final int DEFAULT_LIMIT = 10;

	static final int MAX_LIMIT = 100;

	private final RankingStore store;

	RankingController(RankingStore store) {
		this.store = store;
	}

	@GetMapping("/images")
	@Operation(summary = "Rank images", description = "Best first. `window=day` is the current UTC day, `week` it "
			+ "and the 6 days before; with `by=likes` they rank likes gained in the window.")
	@ApiResponse(responseCode = "200", description = "The ranking.",
			content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = RankedImage.class)),
					examples = @ExampleObject(name = "most viewed", value = RANKING_EXAMPLE)))
	@ApiResponse(responseCode = "400", description = "A bad parameter; `errors` names each one.")
	Mono<List<RankedImage>> ranking(
			@Parameter(description = "`views` (default) or `likes`.") @RequestParam(required = false) String by,
			@Parameter(description = "`all` (default), `day` or `week`.") @RequestParam(required = false) String window,
			@Parameter(description = "How many, 1 to 100 (10).") @RequestParam(required = false) String limit) {
		List<InvalidField> errors = new ArrayList<>();
		RankingOrder order = choice(RankingOrder.class, "by", by, RankingOrder.VIEWS, errors);
		RankingWindow span = choice(RankingWindow.class, "window", window, RankingWindow.ALL, errors);
		int size = limit(limit, errors);
		if (!errors.isEmpty()) {
			return Mono.error(new InvalidRequestException(errors));
		}
		return store.ranking(order, span, size);
	}

	@GetMapping("/images/{id}")
	@Operation(summary = "One image's counts", description = "Views, likes, views today and an estimate of the "
			+ "distinct signed-in viewers today.")
	@ApiResponse(responseCode = "200", description = "The image's counts.", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "404", description = "An image never seen, or deleted.")
	Mono<ImageStats> image(@PathVariable String id) {
		UUID imageId;
		try {
			imageId = UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(new InvalidRequestException("id", "must be an image id (a UUID)"));
		}
		return store.stats(imageId).switchIfEmpty(Mono.error(ImageNotFoundException::new));
	}

	private static <E extends Enum<E>> E choice(Class<E> type, String field, String value, E fallback,
			List<InvalidField> errors) {
		if (value == null) {
			return fallback;
		}
		for (E constant : type.getEnumConstants()) {
			if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
				return constant;
			}
		}
		List<String> allowed = new ArrayList<>();
		for (E constant : type.getEnumConstants()) {
			allowed.add(constant.name().toLowerCase(Locale.ROOT));
		}
		errors.add(new InvalidField(field, "must be one of " + String.join(", ", allowed)));
		return fallback;
	}

	private static int limit(String value, List<InvalidField> errors) {
		if (value == null) {
			return DEFAULT_LIMIT;
		}
		try {
			int limit = Integer.parseInt(value.trim());
			if (limit >= 1 && limit <= MAX_LIMIT) {
				return limit;
			}
		}
		catch (NumberFormatException ex) {
			// answered below, like a number out of range
		}
		errors.add(new InvalidField("limit", "must be a whole number between 1 and " + MAX_LIMIT));
		return DEFAULT_LIMIT;
	}

}
