package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.manager.TargetMetadata;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.server.api.ApiParams;
import dev.vigil.server.api.ApiResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/targets/metadata}'s JSON and parameters, as Prometheus's {@code targetMetadata}. */
class TargetMetadataEndpointTest {
  static final List<TargetMetadata> TARGETS = List.of(
      new TargetMetadata(Labels.of("instance", "a:1", "job", "node"), "node", List.of(
          new MetricMetadata("go_goroutines", MetricType.GAUGE, "Number of goroutines.", ""),
          new MetricMetadata("node_cpu_seconds_total", MetricType.COUNTER, "Seconds the CPUs \"spent\".", "seconds"))),
      new TargetMetadata(Labels.of("instance", "b:2", "job", "am"), "am", List.of(
          new MetricMetadata("go_goroutines", MetricType.GAUGE, "Goroutines.", ""),
          new MetricMetadata("weird", MetricType.UNKNOWN, "", ""))),
      new TargetMetadata(Labels.of("instance", "c:3", "job", "am"), "am", List.of()));

  private static String answer(String query) {
    ApiResponse r = TargetMetadataEndpoint.answer(ApiParams.parse(query, null), TARGETS);
    return r.status() + " " + r.bodyText();
  }

  @Test
  void listsEveryEntryOfEveryTarget() {
    assertThat(answer("")).isEqualTo("200 {\"status\":\"success\",\"data\":["
        + "{\"target\":{\"instance\":\"a:1\",\"job\":\"node\"},\"metric\":\"go_goroutines\",\"type\":\"gauge\","
        + "\"help\":\"Number of goroutines.\",\"unit\":\"\"},"
        + "{\"target\":{\"instance\":\"a:1\",\"job\":\"node\"},\"metric\":\"node_cpu_seconds_total\",\"type\":\"counter\","
        + "\"help\":\"Seconds the CPUs \\\"spent\\\".\",\"unit\":\"seconds\"},"
        + "{\"target\":{\"instance\":\"b:2\",\"job\":\"am\"},\"metric\":\"go_goroutines\",\"type\":\"gauge\","
        + "\"help\":\"Goroutines.\",\"unit\":\"\"},"
        + "{\"target\":{\"instance\":\"b:2\",\"job\":\"am\"},\"metric\":\"weird\",\"type\":\"unknown\","
        + "\"help\":\"\",\"unit\":\"\"}]}");
  }

  @Test
  void metricSelectsOneFamilyAndLeavesItsNameOut() {
    assertThat(answer("metric=go_goroutines&match_target=%7Bjob%3D%22am%22%7D")).isEqualTo(
        "200 {\"status\":\"success\",\"data\":[{\"target\":{\"instance\":\"b:2\",\"job\":\"am\"},\"type\":\"gauge\","
            + "\"help\":\"Goroutines.\",\"unit\":\"\"}]}");
    assertThat(answer("metric=absent")).isEqualTo("200 {\"status\":\"success\",\"data\":[]}");
  }

  @Test
  void limitIsCheckedBeforeEachTargetAsInPrometheus() {
    // Prometheus never splits a target's entries: limit=1 still gives the first target's two.
    assertThat(answer("limit=1")).contains("node_cpu_seconds_total").doesNotContain("b:2");
    assertThat(answer("limit=0")).isEqualTo("200 {\"status\":\"success\",\"data\":[]}");
    assertThat(answer("limit=3")).contains("b:2").contains("weird");
    assertThat(answer("limit=-1")).contains("weird");
  }

  @Test
  void matchTargetFiltersByTargetLabels() {
    assertThat(answer("match_target=%7Binstance%3D~%22a.*%22%7D")).contains("a:1").doesNotContain("b:2");
    assertThat(answer("match_target=%7Bjob%3D%22none%22%7D")).isEqualTo("200 {\"status\":\"success\",\"data\":[]}");
  }

  @Test
  void badParametersAreBadData() {
    assertThat(answer("limit=x")).isEqualTo(
        "400 {\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"limit must be a number\"}");
    assertThat(answer("match_target=%7Bjob%3D%7D")).startsWith(
        "400 {\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"match_target\\\": ");
  }
}
