package dev.vigil.bench.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.exposition.Entry;
import dev.vigil.collector.exposition.ExpositionFormat;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.collector.exposition.TextParser;
import dev.vigil.model.labels.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpositionBodyTest {

  /** Every series of one scrape: labels and value, in body order. */
  private record Scrape(List<Labels> labels, List<Double> values, Set<String> types) {}

  private static Scrape parse(byte[] body) {
    TextParser p = TextParser.create(ExpositionFormat.PROMETHEUS_TEXT, body);
    List<Labels> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    Set<String> types = new HashSet<>();
    for (Entry e; (e = p.next()) != Entry.EOF; ) {
      switch (e) {
        case SERIES -> {
          labels.add(p.labels());
          values.add(p.value());
        }
        case TYPE -> types.add(p.metricFamily() + " " + p.type());
        default -> { }
      }
    }
    return new Scrape(labels, values, types);
  }

  @Test
  void bodyParsesIntoTheRequestedNumberOfDistinctSeriesOfEveryFamily() {
    for (int series : new int[] {1, 7, 8, 9, 1000, 10_003}) {
      ExpositionBody body = new ExpositionBody(3, series);
      Scrape s = parse(body.bytes());
      assertThat(s.labels()).as("series=%d", series).hasSize(series);
      assertThat(new HashSet<>(s.labels())).as("distinct, series=%d", series).hasSize(series);
      assertThat(body.series()).isEqualTo(series);
      assertThat(s.types()).hasSize(Math.min(series, 8));
    }
    Scrape s = parse(new ExpositionBody(0, 100).bytes());
    assertThat(s.types()).contains("container_cpu_usage_seconds_total " + MetricType.COUNTER,
        "kube_pod_status_phase " + MetricType.GAUGE);
    // Realistic label sets: 6 to 8 labels in the body (instance and job come from the target).
    for (Labels l : s.labels()) {
      assertThat(l.size()).isBetween(7, 9); // with __name__
    }
  }

  @Test
  void targetsServeDifferentPodsAndNodes() {
    Scrape a = parse(new ExpositionBody(1, 200).bytes());
    Scrape b = parse(new ExpositionBody(2, 200).bytes());
    Set<Labels> both = new HashSet<>(a.labels());
    both.retainAll(new HashSet<>(b.labels()));
    assertThat(both).isEmpty();
  }

  @Test
  void advanceGrowsCountersAndChangesGaugesInPlaceWithoutChangingSeries() {
    ExpositionBody body = new ExpositionBody(5, 800);
    Scrape previous = parse(body.bytes());
    int length = body.bytes().length;
    for (int scrape = 1; scrape <= 30; scrape++) {
      body.advance();
      assertThat(body.bytes()).hasSize(length);
      Scrape next = parse(body.bytes());
      assertThat(next.labels()).isEqualTo(previous.labels());
      int gaugesChanged = 0;
      for (int i = 0; i < next.values().size(); i++) {
        String name = next.labels().get(i).get("__name__");
        double before = previous.values().get(i);
        double after = next.values().get(i);
        if (name.endsWith("_total")) {
          assertThat(after).as("counter %s at scrape %d", next.labels().get(i), scrape).isGreaterThan(before);
        } else if (after != before) {
          gaugesChanged++;
        }
      }
      assertThat(gaugesChanged).as("gauges moved at scrape %d", scrape).isPositive();
      previous = next;
    }
  }

  @Test
  void rejectsAnEmptyTarget() {
    assertThatThrownBy(() -> new ExpositionBody(0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("series per target must be positive, got 0");
  }
}
