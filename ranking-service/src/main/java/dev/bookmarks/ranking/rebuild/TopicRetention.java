package dev.bookmarks.ranking.rebuild;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bookmarks.events.Topics;
import dev.bookmarks.ranking.RankingProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Makes sure the topics keep what a rebuild needs. The platform creates every topic with the
 * broker's default retention (7 days): then likes and titles of images older than that could
 * not be rebuilt. At start-up this sets the image-events topic's {@code retention.ms} to the
 * configured value (infinite by default: image events are few and small), and the views topic's
 * if one is configured. Failing to do so is logged, never fatal: it matters only for a rebuild.
 */
@Component
class TopicRetention {

	private static final Log log = LogFactory.getLog(TopicRetention.class);

	static final String UNCHANGED = "unchanged";

	private final KafkaAdmin admin;

	private final RankingProperties properties;

	TopicRetention(KafkaAdmin admin, RankingProperties properties) {
		this.admin = admin;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void ensure() {
		Mono.fromRunnable(() -> {
			ensure(Topics.IMAGE_EVENTS, properties.imageEventsRetention());
			ensure(Topics.IMAGE_VIEWS, properties.imageViewsRetention());
		}).subscribeOn(Schedulers.boundedElastic()).subscribe();
	}

	/** Sets the topic's retention.ms when it differs; returns the value it has afterwards, or null. */
	String ensure(String topic, String retention) {
		if (retention == null || UNCHANGED.equalsIgnoreCase(retention.trim())) {
			return null;
		}
		String wanted = "infinite".equalsIgnoreCase(retention.trim()) ? "-1"
				: Long.toString(Duration.parse(retention.trim()).toMillis());
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
		try (Admin client = Admin.create(admin.getConfigurationProperties())) {
			ConfigEntry current = client.describeConfigs(List.of(resource))
				.all()
				.get(10, TimeUnit.SECONDS)
				.get(resource)
				.get(TopicConfig.RETENTION_MS_CONFIG);
			if (current != null && wanted.equals(current.value())) {
				return wanted;
			}
			Map<ConfigResource, Collection<AlterConfigOp>> change = Map.of(resource, List.of(new AlterConfigOp(
					new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, wanted), AlterConfigOp.OpType.SET)));
			client.incrementalAlterConfigs(change).all().get(10, TimeUnit.SECONDS);
			log.info("Retention of " + topic + " set to " + ("-1".equals(wanted) ? "infinite" : wanted + " ms")
					+ " (was " + (current != null ? current.value() : "unknown") + " ms), so that the rankings can be rebuilt from it");
			return wanted;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			log.warn("Could not set the retention of " + topic + " to " + retention
					+ "; a rankings rebuild may miss its older events: " + ex);
			return null;
		}
	}

}
