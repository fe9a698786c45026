package dev.vigil.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.metadata.MetricType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prometheus's {@code isSeriesPartOfFamily} cases ({@code scrape_test.go}) and a few more. */
class MetadataCacheTest {
  record Case(String metric, String family, MetricType type, boolean part) {}

  static final List<Case> CASES = List.of(
      new Case("http_requests_total", "http_requests_total", MetricType.COUNTER, true),
      new Case("http_requests_total", "http_requests", MetricType.COUNTER, true),
      // Prometheus checks the prefix first, so a family named with _total never matches without.
      new Case("http_requests", "http_requests_total", MetricType.COUNTER, false),
      new Case("http_requests_count", "http_requests", MetricType.COUNTER, false),
      new Case("rpc_seconds_bucket", "rpc_seconds", MetricType.HISTOGRAM, true),
      new Case("rpc_seconds_sum", "rpc_seconds", MetricType.HISTOGRAM, true),
      new Case("rpc_seconds_count", "rpc_seconds", MetricType.HISTOGRAM, true),
      new Case("rpc_seconds", "rpc_seconds", MetricType.HISTOGRAM, true),
      new Case("rpc_seconds_total", "rpc_seconds", MetricType.HISTOGRAM, false),
      new Case("queue_bucket", "queue", MetricType.GAUGEHISTOGRAM, true),
      new Case("queue_gsum", "queue", MetricType.GAUGEHISTOGRAM, true),
      new Case("queue_gcount", "queue", MetricType.GAUGEHISTOGRAM, true),
      new Case("queue_sum", "queue", MetricType.GAUGEHISTOGRAM, false),
      new Case("rpc", "rpc", MetricType.SUMMARY, true),
      new Case("rpc_sum", "rpc", MetricType.SUMMARY, true),
      new Case("rpc_count", "rpc", MetricType.SUMMARY, true),
      new Case("rpc_bucket", "rpc", MetricType.SUMMARY, false),
      new Case("build_info", "build_info", MetricType.INFO, true),
      new Case("build_info", "build", MetricType.INFO, true),
      new Case("temperature", "temperature", MetricType.GAUGE, true),
      new Case("temperature_max", "temperature", MetricType.GAUGE, false),
      new Case("u", "u", MetricType.UNKNOWN, true),
      new Case("unrelated", "u", MetricType.UNKNOWN, false),
      new Case("other", "temperature", MetricType.GAUGE, false));

  @Test
  void seriesBelongToTheirFamilyWithTheSuffixesOfItsType() {
    List<String> wrong = new ArrayList<>();
    for (Case c : CASES) {
      if (MetadataCache.partOfFamily(c.metric(), c.family(), c.type()) != c.part()) {
        wrong.add(c.toString());
      }
    }
    assertThat(wrong).isEmpty();
  }
}
