package dev.bookmarks.bookmark.image;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.bookmarks.bookmark.image.ImageRepository.LikedImage;
import dev.bookmarks.bookmark.image.ImageRepository.Liker;
import dev.bookmarks.bookmark.image.ImageRepository.Owner;
import dev.bookmarks.platform.web.CursorPage;
import dev.bookmarks.platform.web.InvalidRequestException;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/** The lists: newest images (all, one owner's, one liker's) and an image's likers, cursor-paged. */
@Service
public class ImageQueries {

	private final ImageRepository images;

	ImageQueries(ImageRepository images) {
		this.images = images;
	}

	/** A liker as lists show people. */
	public record LikerView(UUID id, String username) {
	}

	public Mono<CursorPage<ImageRow>> list(Caller viewer, String owner, String likedBy, int limit, String cursor) {
		Position after = Position.decode(cursor);
		if (likedBy != null && !likedBy.isBlank()) {
			if (owner != null && !owner.isBlank()) {
				throw new InvalidRequestException("likedBy", "cannot be combined with owner");
			}
			return images.likedBy(viewer.id(), Owner.parse(likedBy), after.at(), after.id(), limit)
				.collectList()
				.map(rows -> page(rows, limit, liked -> new Position(liked.likedAt(), liked.image().id())))
				.map(page -> new CursorPage<>(page.items().stream().map(LikedImage::image).toList(), page.nextCursor()));
		}
		return images.newest(viewer.id(), Owner.parse(owner), after.at(), after.id(), limit)
			.collectList()
			.map(rows -> page(rows, limit, row -> new Position(row.createdAt(), row.id())));
	}

	public Mono<CursorPage<LikerView>> likers(Caller viewer, UUID imageId, int limit, String cursor) {
		Position after = Position.decode(cursor);
		return images.find(imageId, viewer.id())
			.switchIfEmpty(Mono.error(() -> new ImageNotFoundException(imageId)))
			.flatMap(image -> images.likers(imageId, after.at(), after.id(), limit).collectList())
			.map(rows -> page(rows, limit, liker -> new Position(liker.likedAt(), liker.id())))
			.map(page -> new CursorPage<>(
					page.items().stream().map(liker -> new LikerView(liker.id(), liker.username())).toList(),
					page.nextCursor()));
	}

	private static <T> CursorPage<T> page(List<T> rows, int limit, Function<T, Position> position) {
		return CursorPage.of(rows, limit, row -> position.apply(row).encode());
	}

	/** Where a page ends: a time and an id that breaks ties. */
	record Position(Instant at, UUID id) {

		static final Position START = new Position(null, null);

		String encode() {
			return ChronoUnit.MICROS.between(Instant.EPOCH, at) + "_" + id;
		}

		static Position decode(String cursor) {
			String value = CursorPage.decodeCursor(cursor);
			if (value == null) {
				return START;
			}
			try {
				String[] parts = value.split("_", 2);
				long micros = Long.parseLong(parts[0]);
				return new Position(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), UUID.fromString(parts[1]));
			}
			catch (RuntimeException ex) {
				throw new InvalidRequestException("cursor", "is not a cursor returned by this list");
			}
		}

	}

}
