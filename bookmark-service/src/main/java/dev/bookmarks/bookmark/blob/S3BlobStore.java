package dev.bookmarks.bookmark.blob;

import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Blobs in an S3-compatible bucket (AWS S3, MinIO, Ceph), so that every replica serves every
 * picture. Uses the SDK's non-blocking client.
 */
public class S3BlobStore implements BlobStore {

	private final S3AsyncClient s3;

	private final String bucket;

	private final String prefix;

	public S3BlobStore(S3AsyncClient s3, String bucket, String prefix) {
		this.s3 = s3;
		this.bucket = bucket;
		this.prefix = prefix == null ? "" : prefix;
	}

	@Override
	public Mono<Void> put(String key, byte[] bytes, String mediaType) {
		PutObjectRequest request = PutObjectRequest.builder()
			.bucket(bucket)
			.key(objectKey(key))
			.contentType(mediaType)
			.cacheControl("public, max-age=31536000, immutable")
			.build();
		return Mono.fromFuture(() -> s3.putObject(request, AsyncRequestBody.fromBytes(bytes))).then();
	}

	@Override
	public Mono<Blob> get(String key) {
		GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build();
		return Mono.fromFuture(() -> s3.getObject(request, AsyncResponseTransformer.toBytes()))
			.map(response -> new Blob(response.asByteArray(), BlobStore.mediaTypeOf(key)))
			.onErrorResume(NoSuchKeyException.class, missing -> Mono.empty());
	}

	@Override
	public Mono<Void> delete(String key) {
		DeleteObjectRequest request = DeleteObjectRequest.builder().bucket(bucket).key(objectKey(key)).build();
		return Mono.fromFuture(() -> s3.deleteObject(request)).then();
	}

	private String objectKey(String key) {
		return prefix + BlobStore.checkKey(key);
	}

}
