package dev.bookmarks.bookmark.image;

/** Public URLs of stored pictures, served through the gateway under /media/images. */
public record MediaUrls(String publicOrigin) {

	public String urlOf(String key) {
		return publicOrigin + "/media/images/" + key;
	}

}
