package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.manager.ActiveTarget;
import dev.vigil.collector.manager.DroppedTarget;
import dev.vigil.collector.manager.TargetHealth;
import dev.vigil.collector.manager.TargetsView;
import dev.vigil.model.labels.Labels;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsEndpointTest {
  @Test
  void rendersPrometheusFieldsAndFormats() {
    ActiveTarget never = new ActiveTarget(Labels.of("__address__", "h:1", "job", "j"), Labels.of("instance", "h:1", "job", "j"),
        "j", URI.create("http://h:1/metrics"), URI.create("http://h:1/metrics"), "", null, Duration.ZERO,
        TargetHealth.UNKNOWN, Duration.ofSeconds(15), Duration.ofSeconds(10));
    ActiveTarget down = new ActiveTarget(Labels.of("__address__", "h:2"), Labels.of("instance", "h:2"), "j",
        URI.create("http://h:2/metrics"), URI.create("http://h:2/metrics"), "connection refused \"x\"",
        Instant.parse("2026-11-25T18:00:01.120Z"), Duration.ofNanos(1_500_000), TargetHealth.DOWN,
        Duration.ofMinutes(1), Duration.ofSeconds(10));
    String json = new String(TargetsEndpoint.render(new TargetsView(List.of(never, down),
        List.of(new DroppedTarget(Labels.of("__address__", "x:1"), "j", "")), Map.of("j", 1))), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"status\":\"success\",\"data\":{\"activeTargets\":["
        + "{\"discoveredLabels\":{\"__address__\":\"h:1\",\"job\":\"j\"},\"labels\":{\"instance\":\"h:1\",\"job\":\"j\"},"
        + "\"scrapePool\":\"j\",\"scrapeUrl\":\"http://h:1/metrics\",\"globalUrl\":\"http://h:1/metrics\","
        + "\"lastError\":\"\",\"lastScrape\":\"0001-01-01T00:00:00Z\",\"lastScrapeDuration\":0,\"health\":\"unknown\","
        + "\"scrapeInterval\":\"15s\",\"scrapeTimeout\":\"10s\"},"
        + "{\"discoveredLabels\":{\"__address__\":\"h:2\"},\"labels\":{\"instance\":\"h:2\"},"
        + "\"scrapePool\":\"j\",\"scrapeUrl\":\"http://h:2/metrics\",\"globalUrl\":\"http://h:2/metrics\","
        + "\"lastError\":\"connection refused \\\"x\\\"\",\"lastScrape\":\"2026-11-25T18:00:01.12Z\","
        + "\"lastScrapeDuration\":0.0015,\"health\":\"down\",\"scrapeInterval\":\"1m\",\"scrapeTimeout\":\"10s\"}],"
        + "\"droppedTargets\":[{\"discoveredLabels\":{\"__address__\":\"x:1\"},\"scrapePool\":\"j\"}],"
        + "\"droppedTargetCounts\":{\"j\":1}}}");
  }

  @Test
  void timesAndDurationsFollowGo() {
    assertThat(TargetsEndpoint.rfc3339Nano(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(TargetsEndpoint.rfc3339Nano(Instant.parse("2026-01-02T03:04:05.000000123Z")))
        .isEqualTo("2026-01-02T03:04:05.000000123Z");
    assertThat(TargetsEndpoint.rfc3339Nano(Instant.parse("2026-01-02T03:04:05.5Z"))).isEqualTo("2026-01-02T03:04:05.5Z");
    assertThat(TargetsEndpoint.seconds(2_000_000_000L)).isEqualTo("2");
    assertThat(TargetsEndpoint.seconds(1_234_567_891L)).isEqualTo("1.234567891");
  }
}
