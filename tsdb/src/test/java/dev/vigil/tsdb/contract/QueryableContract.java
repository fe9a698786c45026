package dev.vigil.tsdb.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.Storage;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Queryable} of the TSDB (head, reopened database, blocks) must answer: the
 * same series, samples, label names and values as the model's {@link InMemoryStorage} for the
 * same in-order data, on random data and random matchers and ranges (fixed seeds).
 * Subclasses supply the store and, optionally, a step between loading and querying.
 */
public abstract class QueryableContract {
  @TempDir
  protected Path dir;

  /** A fresh, empty store in {@code dir}. */
  protected abstract Storage open(Path dir);

  /** What to query after loading; e.g. close and reopen to exercise replay. Default: itself. */
  protected Queryable afterLoad(Storage loaded, Path dir) {
    return loaded;
  }

  protected void close(Queryable q) {}

  private static final String[] NAMES = {"up", "http_requests_total", "node_cpu", "go_gc"};
  private static final String[] JOBS = {"api", "db", "node", "weird \"job\"\n"};
  private static final String[] MATCH_VALUES = {
    "up", "api", "db", "", "a.*", ".*", ".+", "api|db", "up|go_gc|nope", "node.*", "[0-4]", "1|2|3",
    "d.", "x", "weird.*", "7"
  };
  /** How far a sample may lie behind the newest (below half the smallest block range used). */
  private static final long LAG = 100_000;
  private static final String[] MATCH_NAMES = {"__name__", "job", "instance", "zone", "absent"};

  @Test
  void randomDataAnswersLikeTheReferenceStore() {
    for (int seed = 1; seed <= 4; seed++) {
      runRandom(seed, dir.resolve("seed" + seed));
    }
  }

  private void runRandom(long seed, Path sub) {
    Random r = new Random(seed);
    Storage store = open(sub);
    InMemoryStorage ref = new InMemoryStorage();
    int nSeries = 60 + r.nextInt(100);
    List<Labels> series = new ArrayList<>();
    for (int i = 0; i < nSeries; i++) {
      Labels.Builder b = Labels.builder().set("__name__", NAMES[r.nextInt(NAMES.length)])
          .set("job", JOBS[r.nextInt(JOBS.length)]).set("instance", Integer.toString(i % 10));
      if (r.nextBoolean()) {
        b.set("zone", "z" + r.nextInt(3));
      }
      b.set("i", Integer.toString(i)); // keeps label sets distinct
      series.add(b.build());
    }
    boolean[] hist = new boolean[nSeries];
    long[] nextT = new long[nSeries];
    double[] val = new double[nSeries];
    for (int i = 0; i < nSeries; i++) {
      hist[i] = r.nextInt(8) == 0;
      nextT[i] = r.nextInt(100_000);
    }
    // Every sample within LAG of the newest one so far: a database refuses samples more than
    // half its block range behind its newest ("out of bounds", as Prometheus and Mimir).
    long clock = 0;
    int batches = 30 + r.nextInt(30);
    for (int b = 0; b < batches; b++) {
      Appender a = store.appender();
      Appender ra = ref.appender();
      int perBatch = 1 + r.nextInt(200);
      for (int k = 0; k < perBatch; k++) {
        int s = r.nextInt(nSeries);
        long t = Math.max(nextT[s], clock - LAG);
        nextT[s] = t + 1 + (r.nextInt(20) == 0 ? r.nextInt(1_000_000) : r.nextInt(30_000));
        clock = Math.max(clock, t);
        if (hist[s] || r.nextInt(200) == 0) {
          FloatHistogram h = histogram(r);
          a.appendHistogram(0, series.get(s), t, h);
          ra.appendHistogram(0, series.get(s), t, h);
        } else {
          val[s] = switch (r.nextInt(12)) {
            case 0 -> Double.NaN;
            case 1 -> StaleNaN.VALUE;
            case 2 -> r.nextGaussian();
            default -> val[s] + r.nextInt(10);
          };
          a.append(0, series.get(s), t, val[s]);
          ra.append(0, series.get(s), t, val[s]);
        }
      }
      if (r.nextInt(10) == 0) {
        a.rollback();
        ra.rollback();
        // Nothing of a rolled-back batch may appear; undo the clocks is not needed (gaps are fine).
      } else {
        a.commit();
        ra.commit();
      }
    }
    Queryable q = afterLoad(store, sub);
    try {
      long maxT = 0;
      for (long t : nextT) {
        maxT = Math.max(maxT, t);
      }
      int nonEmpty = 0;
      for (int query = 0; query < 150; query++) {
        long from = r.nextInt(8) == 0 ? Long.MIN_VALUE : r.nextLong(maxT + 1) - 1000;
        long to = r.nextInt(8) == 0 ? Long.MAX_VALUE : from + r.nextLong(maxT / 2 + 1);
        if (from == Long.MIN_VALUE && to < 0) {
          to = maxT;
        }
        List<Matcher> ms = new ArrayList<>();
        int nm = r.nextInt(4);
        for (int m = 0; m < nm; m++) {
          ms.add(Matcher.of(MatchType.values()[r.nextInt(4)], MATCH_NAMES[r.nextInt(MATCH_NAMES.length)],
              MATCH_VALUES[r.nextInt(MATCH_VALUES.length)]));
        }
        String what = "seed " + seed + " query " + query + " " + ms + " [" + from + ", " + to + "]";
        try (Querier got = q.querier(from, to); Querier want = ref.querier(from, to)) {
          List<String> expected = dump(want.select(true, SelectHints.range(from, to), ms));
          assertThat(dump(got.select(true, SelectHints.range(from, to), ms)))
              .as(what).isEqualTo(expected);
          // Each series' iterator handed to the next one's, as the PromQL engine does.
          assertThat(dump(got.select(true, SelectHints.range(from, to), ms), true))
              .as("reusing iterators, " + what).isEqualTo(expected);
          // Unsorted, as the engine asks: the same series in any order.
          assertThat(dump(got.select(false, SelectHints.range(from, to), ms), true))
              .as("unsorted, " + what).containsExactlyInAnyOrderElementsOf(expected);
          nonEmpty += expected.isEmpty() ? 0 : 1;
          assertThat(got.labelNames(ms)).as("names " + what).isEqualTo(want.labelNames(ms));
          String name = MATCH_NAMES[r.nextInt(MATCH_NAMES.length)];
          assertThat(got.labelValues(name, ms)).as("values of " + name + " " + what)
              .isEqualTo(want.labelValues(name, ms));
        }
      }
      assertThat(nonEmpty).as("queries with results, seed " + seed).isGreaterThan(30);
    } finally {
      close(q);
    }
  }

  static FloatHistogram histogram(Random r) {
    double c = r.nextInt(100);
    return new FloatHistogram(CounterResetHint.UNKNOWN, 3, 0.001, 1, c, c * 1.5,
        List.of(new Span(r.nextInt(3), 2)), new double[] {r.nextInt(10), r.nextInt(10)},
        List.of(), new double[0], null);
  }

  /** A small fixed histogram whose count depends on {@code n}. */
  public static FloatHistogram histogramForTest(long n) {
    return new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, n, n, List.of(new Span(0, 1)),
        new double[] {n}, List.of(), new double[0], null);
  }

  /** A comparable text form of a series set: labels, then each sample with raw value bits. */
  public static List<String> dump(SeriesSet set) {
    return dump(set, false);
  }

  /** As {@link #dump(SeriesSet)}; with {@code reuse} each series gets the last iterator. */
  public static List<String> dump(SeriesSet set, boolean reuse) {
    List<String> out = new ArrayList<>();
    SampleIterator last = null;
    while (set.next()) {
      StringBuilder sb = new StringBuilder(set.at().labels().toString()).append(':');
      SampleIterator it = set.at().iterator(reuse ? last : null);
      last = it;
      for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
        sb.append(' ').append(it.atT()).append('=');
        if (k == ValueKind.HISTOGRAM) {
          sb.append(it.atHistogram());
        } else {
          sb.append(Long.toHexString(Double.doubleToRawLongBits(it.atF())));
        }
      }
      out.add(sb.toString());
    }
    return out;
  }
}
