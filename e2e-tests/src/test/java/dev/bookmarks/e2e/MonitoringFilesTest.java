package dev.bookmarks.e2e;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/**
 * The PromQL name extraction the e2e check relies on, and the monitoring files' own consistency.
 * Whether the names are exported is checked against a running stack in
 * {@code ActivityFeedIT.everyMetricTheDashboardAndTheAlertsReadIsExported}.
 */
class MonitoringFilesTest {

	@Test
	void aBareMetricIsItsOwnName() {
		assertThat(PromQl.metricNames("bookmarks_feed_stream_connections")).containsExactly("bookmarks_feed_stream_connections");
	}

	@Test
	void functionsAggregationsAndTheirLabelListsAreNotMetrics() {
		assertThat(PromQl.metricNames(
				"histogram_quantile(0.99, sum by (application, le) (rate(http_server_requests_seconds_bucket{method=\"GET\", uri!=\"/api/feed/stream\"}[5m]))) > 1"))
			.containsExactly("http_server_requests_seconds_bucket");
		assertThat(PromQl.metricNames("sum(rate(a_total[5m])) without (instance) / on (job) group_left (team) b_info"))
			.containsExactly("a_total", "b_info");
	}

	@Test
	void operandsOfBinaryOperatorsAreAllFound() {
		assertThat(PromQl.metricNames(
				"max by (application) (outbox_rows) > 500 and max by (application) (delta(outbox_rows[10m])) > 0 unless absent_rows offset 5m"))
			.containsExactly("absent_rows", "outbox_rows");
		assertThat(PromQl.metricNames("used_bytes / capacity_bytes > bool 0.9")).containsExactly("capacity_bytes", "used_bytes");
	}

	@Test
	void labelValuesStringsAndGrafanaVariablesAreNotMetrics() {
		assertThat(PromQl.metricNames(
				"sum by (reason) (rate(refused_total{application=~\"$application\", reason=\"too_large\"}[$__rate_interval]))"))
			.containsExactly("refused_total");
		assertThat(PromQl.metricNames("label_replace(up_metric, \"dst\", \"$1\", \"src\", \"(.*) and (.*)\")"))
			.containsExactly("up_metric");
		assertThat(PromQl.metricNames("rate(x_total[$__rate_interval]) * ${factor}")).containsExactly("x_total");
	}

	@Test
	void numbersDurationsAndSubqueriesAreNotMetrics() {
		assertThat(PromQl.metricNames("max_over_time(deriv(queue_rows[10m])[1h:1m]) > 1e3 or vector(0)"))
			.containsExactly("queue_rows");
		assertThat(PromQl.metricNames("{__name__=~\"job:.*\"}")).isEmpty();
	}

	@Test
	void recordingRuleNamesWithColonsAreMetrics() {
		assertThat(PromQl.metricNames("job:http_requests:rate5m > 10")).containsExactly("job:http_requests:rate5m");
	}

	@Test
	void theDashboardAndTheRulesNameTheMetricsThatMatter() throws Exception {
		assertThat(MonitoringFiles.ofThisProject().metricNames()).contains("bookmarks_outbox_pending_rows",
				"bookmarks_outbox_oldest_pending_age_seconds", "kafka_consumer_fetch_manager_records_lag",
				"bookmarks_consumer_dead_letters_total", "http_server_requests_seconds_count",
				"http_server_requests_seconds_bucket", "bookmarks_feed_read_seconds_bucket",
				"bookmarks_feed_stream_connections", "bookmarks_auth_hash_permit_wait_seconds_bucket",
				"bookmarks_images_decode_wait_seconds_bucket", "bookmarks_images_fetch_refused_total");
	}

	@Test
	void thePrometheusRuleForKubernetesHasTheSameRulesAsThePlainFile() throws Exception {
		MonitoringFiles files = MonitoringFiles.ofThisProject();
		assertThat(files.prometheusRuleGroups()).isEqualTo(files.ruleGroups());
	}

	@Test
	void everyAlertWaitsAndSaysHowBadAndWhatToDo() throws Exception {
		for (Map<String, Object> rule : MonitoringFiles.rules(MonitoringFiles.ofThisProject().ruleGroups())) {
			assertThat(rule).as(String.valueOf(rule.get("alert"))).containsKeys("alert", "expr", "for", "labels", "annotations");
			assertThat(String.valueOf(rule.get("alert"))).startsWith("Bookmarks");
			assertThat(rule.get("labels")).asInstanceOf(MAP).extractingByKey("severity").isIn("warning", "critical");
			assertThat(rule.get("annotations")).asInstanceOf(MAP).containsKeys("summary", "description");
		}
	}

}
