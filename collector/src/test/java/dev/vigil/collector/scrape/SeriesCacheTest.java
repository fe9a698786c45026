package dev.vigil.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.exposition.Entry;
import dev.vigil.collector.exposition.ExpositionFormat;
import dev.vigil.collector.exposition.TextParser;
import dev.vigil.model.labels.Labels;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {
  private static TextParser at(String line) {
    TextParser p = TextParser.create(ExpositionFormat.PROMETHEUS_TEXT, line.getBytes(StandardCharsets.UTF_8));
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    return p;
  }

  @Test
  void hitsByRawTextAndAgesOut() {
    SeriesCache c = new SeriesCache();
    c.beginScrape();
    for (int i = 0; i < 1000; i++) {
      c.put(at("m{i=\"" + i + "\"} 1\n"), Labels.of("i", Integer.toString(i)));
    }
    assertThat(c.size()).isEqualTo(1000);
    assertThat(c.get(at("m{i=\"7\"} 2 123\n"))).isEqualTo(Labels.of("i", "7"));
    assertThat(c.get(at("m{i=\"7\",} 2\n"))).isNull(); // different text, different entry
    c.sweep();
    assertThat(c.size()).isEqualTo(1000);

    c.beginScrape();
    c.get(at("m{i=\"1\"} 1\n"));
    c.sweep();
    c.beginScrape();
    c.sweep();
    assertThat(c.size()).isEqualTo(1);
    assertThat(c.get(at("m{i=\"1\"} 1\n"))).isEqualTo(Labels.of("i", "1"));
    assertThat(c.get(at("m{i=\"2\"} 1\n"))).isNull();
  }
}
