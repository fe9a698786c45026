package dev.vigil.collector.peer;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.collector.scrape.HttpScraper;
import dev.vigil.collector.scrape.ScrapeLoop;
import dev.vigil.collector.scrape.ScrapeTarget;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Vigil's side of a peer test: the same {@code scrape_configs} YAML Prometheus runs, its static
 * targets relabelled by {@link ScrapeTarget#populate} and scraped by {@link ScrapeLoop}s into an
 * in-memory store, on demand rather than on a schedule.
 */
public final class VigilCollector {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The latest sample of a series: a float, or a histogram when {@code h} is set. */
  /** A sample: its time, value or histogram, and start timestamp (0 = unknown). */
  public record Latest(long t, double v, FloatHistogram h, long st) {}

  /** A discovered target relabelling dropped, with its job. */
  public record Dropped(String job, Labels discovered) {}

  private final InMemoryStorage storage;
  private final List<ScrapeLoop> loops = new ArrayList<>();
  private final List<Dropped> dropped = new ArrayList<>();

  public VigilCollector(String yaml) {
    this(yaml, false);
  }

  /** With {@code startTimestamps}, into a store that asks for start timestamps. */
  public VigilCollector(String yaml, boolean startTimestamps) {
    storage = new InMemoryStorage(startTimestamps);
    PrometheusConfig cfg = ConfigLoader.load(yaml);
    for (ScrapeConfig sc : cfg.scrapeConfigs()) {
      for (int i = 0; i < sc.staticConfigs().size(); i++) {
        TargetGroup g = TargetGroup.fromStatic(sc.staticConfigs().get(i), i);
        for (int k = 0; k < g.targets().size(); k++) {
          ScrapeTarget t = ScrapeTarget.populate(g.merged(k), sc);
          if (t == null) {
            dropped.add(new Dropped(sc.jobName(), g.merged(k)));
          } else {
            loops.add(new ScrapeLoop(t, sc, new HttpScraper(CLIENT, t, sc), storage, InstantSource.system()));
          }
        }
      }
    }
  }

  public List<ScrapeLoop> loops() {
    return loops;
  }

  public List<Dropped> dropped() {
    return dropped;
  }

  /** Scrapes every target {@code times} times, a few milliseconds apart. */
  public void scrapeAll(int times) throws InterruptedException {
    for (int i = 0; i < times; i++) {
      for (ScrapeLoop l : loops) {
        l.scrapeOnce();
      }
      Thread.sleep(5);
    }
  }

  /** The latest non-stale sample of every series whose labels match {@code name=value}. */
  public Map<Labels, Latest> latest(String name, String value) {
    Map<Labels, Latest> out = new TreeMap<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
          List.of(Matcher.of(MatchType.EQUAL, name, value)));
      while (ss.next()) {
        SampleIterator it = ss.at().iterator(null);
        Latest last = null;
        for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
          last = k == ValueKind.HISTOGRAM
              ? new Latest(it.atT(), Double.NaN, it.atHistogram(), it.atST())
              : new Latest(it.atT(), it.atF(), null, it.atST());
        }
        if (last != null && (last.h() != null || !StaleNaN.is(last.v()))) {
          out.put(ss.at().labels(), last);
        }
      }
    }
    return out;
  }
}
