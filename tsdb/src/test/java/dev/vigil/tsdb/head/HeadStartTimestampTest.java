package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Start timestamps stored as zero samples (Prometheus's created-timestamp zero ingestion). */
class HeadStartTimestampTest {
  private static final Labels A = Labels.of("__name__", "a_total", "job", "x");
  private static final Labels B = Labels.of("__name__", "b_total", "job", "x");
  private static final String ZERO = "0";
  private static final long HOUR = 3_600_000L;

  private static Head head(boolean zeroSamples) {
    return new Head(HeadOptions.defaults().withStartTimestampZeroSamples(zeroSamples),
        CommitLog.NONE);
  }

  private static String v(double d) {
    return Long.toHexString(Double.doubleToRawLongBits(d));
  }

  private static void append(Head h, Labels l, long st, long t, double v) {
    Appender a = h.appender();
    a.appendWithStart(0, l, st, t, v);
    a.commit();
  }

  @Test
  void offByDefaultTheStartTimestampIsDropped() {
    Head h = new Head(HeadOptions.defaults(), CommitLog.NONE);
    assertThat(h.startTimestampZeroSamples()).isFalse();
    append(h, A, 1000, 5000, 7);
    assertThat(HeadTest.all(h)).containsExactly(A + ": 5000=" + v(7));
  }

  @Test
  void aNewCounterGetsAZeroSampleAtItsStartAndAnOngoingOneNone() {
    Head h = head(true);
    append(h, A, 1000, 5000, 7);
    append(h, A, 1000, 20000, 9); // the same start, repeated by every sample of the counter
    assertThat(HeadTest.all(h)).containsExactly(
        A + ": 1000=" + ZERO + " 5000=" + v(7) + " 20000=" + v(9));
  }

  @Test
  void aResetAfterTheNewestSampleGetsAZeroSampleAtTheNewStart() {
    Head h = head(true);
    append(h, A, 1000, 5000, 7);
    append(h, A, 30000, 35000, 2); // the process restarted at 30 s
    assertThat(HeadTest.all(h)).containsExactly(
        A + ": 1000=" + ZERO + " 5000=" + v(7) + " 30000=" + ZERO + " 35000=" + v(2));
  }

  @Test
  void startsNotBeforeTheSampleOrNotAfterTheNewestSampleAddNothing() {
    Head h = head(true);
    append(h, A, 0, 5000, 7); // 0: unknown
    append(h, A, 5000, 5000, 7); // an exact retry, its start equal to its timestamp
    append(h, A, 9000, 8000, 1); // start after the sample: nonsense, dropped
    append(h, A, 8000, 10000, 2); // the start equals the newest sample's time
    append(h, B, 12000, 12000, 1); // start equal to the first sample's timestamp
    assertThat(HeadTest.all(h)).containsExactly(
        A + ": 5000=" + v(7) + " 8000=" + v(1) + " 10000=" + v(2),
        B + ": 12000=" + v(1));
  }

  @Test
  void oneBatchWithSeveralSamplesOfANewCounterAddsOneZeroSample() {
    Head h = head(true);
    Appender a = h.appender();
    long ref = a.appendWithStart(0, A, 1000, 5000, 1);
    assertThat(a.appendWithStart(ref, A, 1000, 6000, 2)).isEqualTo(ref);
    a.appendWithStart(ref, A, 1000, 7000, 3);
    a.commit();
    assertThat(HeadTest.all(h)).containsExactly(
        A + ": 1000=" + ZERO + " 5000=" + v(1) + " 6000=" + v(2) + " 7000=" + v(3));
  }

  @Test
  void aStartFarBehindTheHeadOrInABlockAddsNoZeroSample() {
    Head h = head(true);
    append(h, B, 0, 10 * HOUR, 1);
    append(h, A, 10 * HOUR - Head.START_ZERO_MAX_LAG_MS - 1, 10 * HOUR, 5); // started too long ago
    Labels c = Labels.of("__name__", "c_total");
    append(h, c, 10 * HOUR - Head.START_ZERO_MAX_LAG_MS, 10 * HOUR, 5); // just close enough
    h.truncateBefore(10 * HOUR - 10);
    Labels d = Labels.of("__name__", "d_total");
    append(h, d, 10 * HOUR - 11, 10 * HOUR + 5, 5); // its start lies in a cut block
    append(h, d, 10 * HOUR - 5, 10 * HOUR + 6, 6); // a zero there would be out of order
    assertThat(HeadTest.all(h)).containsExactly(
        A + ": " + 10 * HOUR + "=" + v(5),
        B + ": " + 10 * HOUR + "=" + v(1),
        c + ": " + (10 * HOUR - Head.START_ZERO_MAX_LAG_MS) + "=" + ZERO + " " + 10 * HOUR + "="
            + v(5),
        d + ": " + (10 * HOUR + 5) + "=" + v(5) + " " + (10 * HOUR + 6) + "=" + v(6));
  }

  /**
   * Random batches of samples with starts against a model of the rules: a zero at the start
   * when it lies before the sample, after the series' newest sample (committed or earlier in
   * the batch) and within {@link Head#START_ZERO_MAX_LAG_MS} of the head's newest committed
   * sample; samples themselves in order only (out-of-order ones are refused and left out).
   */
  @Test
  void randomBatchesFollowTheRules() {
    for (int seed = 0; seed < 200; seed++) {
      Random r = new Random(seed);
      Head h = head(true);
      Labels[] series = {A, B, Labels.of("__name__", "c_total")};
      Map<Labels, TreeMap<Long, Double>> want = new HashMap<>();
      long headMax = Long.MIN_VALUE;
      long clock = 0;
      int value = 0;
      for (int batch = 0; batch < 20; batch++) {
        Appender a = h.appender();
        Map<Labels, TreeMap<Long, Double>> pending = new HashMap<>();
        long batchMax = headMax;
        for (int i = r.nextInt(6); i > 0; i--) {
          Labels l = series[r.nextInt(series.length)];
          clock += r.nextInt(3) == 0 ? -r.nextInt(5_000) : r.nextInt(600_000);
          long t = Math.max(1, clock);
          long st = switch (r.nextInt(5)) {
            case 0 -> 0;
            case 1 -> t;
            case 2 -> t - 1 - r.nextInt(10_000);
            case 3 -> t - r.nextInt(3) * Head.START_ZERO_MAX_LAG_MS / 2 - r.nextInt(1000);
            default -> t + 1 + r.nextInt(100);
          };
          TreeMap<Long, Double> committed = want.getOrDefault(l, new TreeMap<>());
          TreeMap<Long, Double> inBatch = pending.computeIfAbsent(l, k -> new TreeMap<>());
          long last = Math.max(committed.isEmpty() ? Long.MIN_VALUE : committed.lastKey(),
              inBatch.isEmpty() ? Long.MIN_VALUE : inBatch.lastKey());
          boolean zero = st != 0 && st < t && st > last
              && (headMax == Long.MIN_VALUE || st >= headMax - Head.START_ZERO_MAX_LAG_MS);
          double v = ++value; // never a repeat: an equal timestamp is always refused
          try {
            a.appendWithStart(0, l, st, t, v);
          } catch (StorageException e) {
            assertThat(t).as("seed " + seed + ": only an out-of-order sample is refused")
                .isLessThanOrEqualTo(zero ? st : last);
            if (zero) {
              inBatch.put(st, 0.0);
            }
            continue;
          }
          assertThat(t).as("seed " + seed).isGreaterThan(zero ? st : last);
          if (zero) {
            inBatch.put(st, 0.0);
          }
          inBatch.put(t, v);
          batchMax = Math.max(batchMax, t);
        }
        a.commit();
        pending.forEach((l, m) -> want.computeIfAbsent(l, k -> new TreeMap<>()).putAll(m));
        headMax = batchMax;
      }
      List<String> expected = new ArrayList<>();
      want.entrySet().stream().filter(e -> !e.getValue().isEmpty())
          .sorted(Map.Entry.comparingByKey()).forEach(e -> {
            StringBuilder sb = new StringBuilder(e.getKey().toString()).append(':');
            e.getValue().forEach((t, v) -> sb.append(' ').append(t).append('=').append(v(v)));
            expected.add(sb.toString());
          });
      assertThat(HeadTest.all(h)).as("seed " + seed).isEqualTo(expected);
    }
  }

  @Test
  void aHistogramCounterGetsAnEmptyHistogramOfItsLayoutAtItsStart() {
    Head h = head(true);
    double[] bounds = {0.1, 1, 10};
    FloatHistogram sample = new FloatHistogram(CounterResetHint.UNKNOWN, -53, 0, 0, 6, 12.5,
        List.of(new Span(0, 4)), new double[] {1, 2, 2, 1}, List.of(), new double[0], bounds);
    Appender a = h.appender();
    a.appendHistogramWithStart(0, A, 1000, 5000, sample);
    a.commit();
    FloatHistogram zero = new FloatHistogram(CounterResetHint.COUNTER_RESET, -53, 0, 0, 0, 0,
        List.of(), new double[0], List.of(), new double[0], bounds);
    // The head marks the sample after the zero as no reset: its counts only grew.
    assertThat(HeadTest.all(h)).containsExactly(A + ": 1000=" + zero + " 5000="
        + sample.withCounterResetHint(CounterResetHint.NOT_COUNTER_RESET));
  }
}
