package dev.bookmarks.bookmark.blob;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which blob store: files under the data folder (the local default, one replica) or an
 * S3-compatible bucket ({@code bookmarks.blobs.store=s3}, for several replicas).
 */
@Configuration(proxyBeanMethods = false)
class BlobStoreConfiguration {

	@Bean
	@ConditionalOnProperty(name = "bookmarks.blobs.store", havingValue = "filesystem", matchIfMissing = true)
	BlobStore fileSystemBlobStore(@Value("${bookmarks.blobs.directory}") Path directory) {
		return new FileSystemBlobStore(directory);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "bookmarks.blobs.store", havingValue = "s3")
	S3AsyncClient s3(@Value("${bookmarks.blobs.s3.endpoint:}") String endpoint,
			@Value("${bookmarks.blobs.s3.region:us-east-1}") String region,
			@Value("${bookmarks.blobs.s3.access-key:}") String accessKey,
			@Value("${bookmarks.blobs.s3.secret-key:}") String secretKey,
			@Value("${bookmarks.blobs.s3.path-style:true}") boolean pathStyle) {
		S3AsyncClientBuilder builder = S3AsyncClient.builder()
			.region(Region.of(region))
			.forcePathStyle(pathStyle)
			.httpClientBuilder(NettyNioAsyncHttpClient.builder()
				.connectionTimeout(Duration.ofSeconds(5))
				.readTimeout(Duration.ofSeconds(30))
				.maxConcurrency(64));
		if (!endpoint.isBlank()) {
			builder.endpointOverride(URI.create(endpoint));
		}
		builder.credentialsProvider(accessKey.isBlank() ? DefaultCredentialsProvider.builder().build()
				: StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
		return builder.build();
	}

	@Bean
	@ConditionalOnProperty(name = "bookmarks.blobs.store", havingValue = "s3")
	BlobStore s3BlobStore(S3AsyncClient s3, @Value("${bookmarks.blobs.s3.bucket}") String bucket,
			@Value("${bookmarks.blobs.s3.prefix:images/}") String prefix) {
		return new S3BlobStore(s3, bucket, prefix);
	}

}
