package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.metadata.MetricType;
import dev.vigil.protocol.remote.MetricMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SeriesNamedTwinTest {
  private static MetricMetadata md(String family, MetricType type, String help) {
    return new MetricMetadata(family, type, help, "");
  }

  private static TreeMap<String, List<MetricMetadata>> listing(MetricMetadata... entries) {
    TreeMap<String, List<MetricMetadata>> out = new TreeMap<>();
    for (MetricMetadata m : entries) {
      out.computeIfAbsent(m.family(), k -> new ArrayList<>()).add(m);
    }
    return out;
  }

  @Test
  void theSeriesNamedEntryOfAnOpenMetricsFamilyIsDropped() {
    MetricMetadata family = md("requests", MetricType.COUNTER, "Requests.");
    TreeMap<String, List<MetricMetadata>> out = listing(family,
        md("requests_total", MetricType.COUNTER, "Requests."),
        md("requests_created", MetricType.COUNTER, "Requests."));
    LocalScraping.dropSeriesNamedTwin(out, family);
    assertThat(out).containsOnlyKeys("requests");
  }

  @Test
  void entriesThatSayAnythingElseStay() {
    MetricMetadata family = md("requests", MetricType.COUNTER, "Requests.");
    TreeMap<String, List<MetricMetadata>> out = listing(family,
        md("requests_total", MetricType.COUNTER, "Other help, from a push."),
        md("requests_info", MetricType.GAUGE, "Requests."),
        md("requestsx_total", MetricType.COUNTER, "Requests."));
    LocalScraping.dropSeriesNamedTwin(out, family);
    assertThat(out).containsOnlyKeys("requests", "requests_total", "requests_info",
        "requestsx_total");
    // A text-format counter is named after its series: nothing to drop.
    MetricMetadata text = md("jobs_total", MetricType.COUNTER, "");
    TreeMap<String, List<MetricMetadata>> plain = listing(text);
    LocalScraping.dropSeriesNamedTwin(plain, text);
    assertThat(plain).containsOnlyKeys("jobs_total");
  }
}
