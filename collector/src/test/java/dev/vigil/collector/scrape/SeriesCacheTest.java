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

  @Test
  void keepsEachEntrysStoreRefThroughGrowthAndSweeps() {
    SeriesCache c = new SeriesCache();
    c.beginScrape();
    for (int i = 0; i < 1000; i++) {
      c.put(at("m{i=\"" + i + "\"} 1\n"), Labels.of("i", Integer.toString(i)));
      assertThat(c.ref()).isZero(); // a new entry has no ref yet
      c.setRef(10_000 + i);
    }
    for (int i = 0; i < 1000; i++) { // the table grew several times since the first entries
      assertThat(c.get(at("m{i=\"" + i + "\"} 2\n"))).isNotNull();
      assertThat(c.ref()).isEqualTo(10_000 + i);
    }
    c.get(at("m{i=\"5\"} 2\n"));
    c.setRef(42); // the store handed out another ref (say, after its series was dropped)
    c.beginScrape();
    c.get(at("m{i=\"5\"} 3\n"));
    c.beginScrape();
    c.sweep(); // everything else ages out and the table shrinks
    assertThat(c.size()).isEqualTo(1);
    assertThat(c.get(at("m{i=\"5\"} 4\n"))).isEqualTo(Labels.of("i", "5"));
    assertThat(c.ref()).isEqualTo(42);
    assertThat(c.get(at("m{i=\"6\"} 4\n"))).isNull();
    assertThat(c.ref()).isZero(); // a miss has no ref
  }
}
