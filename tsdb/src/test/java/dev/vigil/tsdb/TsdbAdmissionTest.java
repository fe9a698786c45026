package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SampleRejectedException;
import dev.vigil.model.storage.SampleRejectedException.Kind;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.StorageException;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.contract.TestHistograms;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.wal.FsyncPolicy;
import dev.vigil.tsdb.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * What the database must take and what it must refuse, under random operations, checked
 * against a model of what it acknowledged: fresh appends, late in-order ones (a sender catching
 * up) up to half a block range behind the newest sample, out-of-order ones inside the window,
 * exact repeats (taken, stored once), and refused: another value at a series' newest timestamp
 * or onto a sample it holds, samples behind the window, more than half a block range behind
 * the newest sample (as Prometheus and Mimir) or before the newest block's end; rolled-back
 * batches leave no trace. Between them:
 * deletes, block cuts, compactions, head snapshots, changes of the out-of-order window, clean
 * restarts, and crashes after which the run goes on writing to the recovered copy (the
 * directory copied between two commits, as a killed process leaves it). Series stop and start
 * again, so they are collected at cuts and created anew. Chunks, head chunk files and WAL
 * segments are small, so each of those paths runs many times per seed.
 *
 * <p>After every step that rewrites or reloads data, and at random between, every series is
 * read over the whole range, and some over random ranges and matchers (sorted or not): each
 * must hold exactly the acknowledged samples not deleted, float values bit for bit (NaN, stale
 * markers, -0.0), histograms by {@link FloatHistogram#equalsExact}. A failure names the seed and
 * the last operations. {@link TsdbLifecycleTest} covers retention and whole-database answers
 * after every kind of restart, generating only samples the database must take.
 */
class TsdbAdmissionTest {
  private static final long STEP = 60_000; // a scrape a minute
  private static final long RANGE = 30 * 60_000; // blocks of 30 minutes
  private static final int STEPS = 360; // 6 hours: blocks compacted to 1.5 h and 6 h
  private static final int SEEDS = Integer.getInteger("seeds", 6);
  private static final long START = 1_700_000_000_000L;

  @TempDir
  Path tmp;

  /** How often the runs reached each check, so that the test fails if a generator stops. */
  private static final class Reach {
    int refused;
    int exactRepeats;
    int outOfOrder;
    int collisions;
    int late;
    int rolledBack;
    int deletes;
    int blocksCut;
    int blocksCompacted;
    int reopens;
    int crashes;
    int selects;
  }

  @Test
  void randomOperationsTakeAndRefuseWhatTheRulesSayAndReadBackLikeTheModel() throws IOException {
    Reach reach = new Reach();
    for (int seed = 1; seed <= SEEDS; seed++) {
      Path base = tmp.resolve("seed" + seed);
      Run run = new Run(seed, base, reach);
      try {
        run.steps(STEPS);
      } finally {
        run.close();
      }
      FileTrees.delete(base);
    }
    // 6 seeds; -Dseeds=100 runs more.
    assertThat(reach.refused).isGreaterThan(50 * SEEDS / 6);
    assertThat(reach.exactRepeats).isGreaterThan(5 * SEEDS / 6);
    assertThat(reach.outOfOrder).isGreaterThan(10 * SEEDS / 6);
    assertThat(reach.collisions).isGreaterThan(5 * SEEDS / 6);
    assertThat(reach.late).isGreaterThan(5 * SEEDS / 6);
    assertThat(reach.rolledBack).isGreaterThan(10 * SEEDS / 6);
    assertThat(reach.deletes).isGreaterThan(20 * SEEDS / 6);
    assertThat(reach.blocksCut).isGreaterThan(30 * SEEDS / 6);
    assertThat(reach.blocksCompacted).isGreaterThan(10 * SEEDS / 6);
    assertThat(reach.reopens).isGreaterThan(10 * SEEDS / 6);
    assertThat(reach.crashes).isGreaterThan(10 * SEEDS / 6);
    assertThat(reach.selects).isGreaterThan(100 * SEEDS / 6);
  }

  /** What the database acknowledged of one series, minus what was deleted. */
  private static final class ModelSeries {
    /** Timestamp to the raw bits of a float ({@link Long}) or a {@link FloatHistogram}. */
    final TreeMap<Long, Object> samples = new TreeMap<>();
    /** Deleted ranges, [min, max] inclusive: samples appended into them later stay hidden. */
    final List<long[]> deleted = new ArrayList<>();
    long newest = Long.MIN_VALUE;

    boolean inDeleted(long t) {
      for (long[] d : deleted) {
        if (t >= d[0] && t <= d[1]) {
          return true;
        }
      }
      return false;
    }
  }

  private static final class Run {
    private static final List<Labels> FLOATS = new ArrayList<>();
    private static final List<Labels> HISTOGRAMS = new ArrayList<>();
    private static final double[] SPECIAL = {Double.NaN, StaleNaN.VALUE, -0.0, 0.0,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE,
        -1e-300, 1e300};

    static {
      for (String name : List.of("a_total", "b_bytes", "c")) {
        for (String job : List.of("api", "node")) {
          for (int i = 0; i < 4; i++) {
            FLOATS.add(Labels.of("__name__", name, "job", job, "i", Integer.toString(i)));
          }
        }
      }
      for (int i = 0; i < 4; i++) {
        HISTOGRAMS.add(Labels.of("__name__", "h", "job", "api", "i", Integer.toString(i)));
      }
    }

    private final long seed;
    private final Random r;
    private final Path tmp;
    private final Reach reach;
    private final Map<Labels, ModelSeries> model = new HashMap<>();
    private final Map<Labels, Boolean> alive = new HashMap<>();
    private final Map<Labels, Long> refs = new HashMap<>();
    private final Map<Labels, Double> counters = new HashMap<>();
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final TsdbOptions base;
    private Path dir;
    private Tsdb db;
    private long now = START;
    private long window;
    private int step;
    private int copies;

    Run(long seed, Path tmp, Reach reach) {
      this.seed = seed;
      this.r = new Random(seed);
      this.tmp = tmp;
      this.reach = reach;
      int[] chunkSizes = {4, 16, 120};
      HeadOptions head = new HeadOptions(r.nextBoolean() ? RANGE / 2 : 0,
          chunkSizes[r.nextInt(chunkSizes.length)], 1000);
      window = head.outOfOrderWindowMs();
      base = TsdbOptions.defaults().withHead(head)
          .withWal(WalOptions.defaults().withSegmentSize(4096 << r.nextInt(4))
              .withFsync(r.nextBoolean() ? FsyncPolicy.PER_COMMIT : FsyncPolicy.INTERVAL))
          .withBlockRangeMs(RANGE)
          .withPackedSamplesPerChunk(r.nextBoolean() ? 0 : 64)
          .withHeadChunkFileSize(8192 << r.nextInt(3))
          .withReplayApplyShards(1 + r.nextInt(3));
      for (Labels l : FLOATS) {
        alive.put(l, r.nextInt(4) != 0);
      }
      for (Labels l : HISTOGRAMS) {
        alive.put(l, true);
      }
      note("options " + base);
      dir = tmp.resolve("db");
      db = Tsdb.open(dir, options());
    }

    private TsdbOptions options() {
      return base.withHead(base.head().withOutOfOrderWindowMs(window))
          .withSnapshotOnShutdown(r.nextBoolean());
    }

    void steps(int n) throws IOException {
      for (step = 0; step < n; step++) {
        now += STEP;
        for (Labels l : FLOATS) {
          if (r.nextInt(40) == 0) {
            alive.put(l, !alive.get(l)); // series stop and start: collected at cuts, come back
          }
        }
        appendFresh();
        int op = r.nextInt(100);
        boolean reshaped = true;
        if (op < 8) {
          outOfOrder();
        } else if (op < 11) {
          collision();
        } else if (op < 13) {
          exactRepeat();
        } else if (op < 18) {
          conflicting();
        } else if (op < 23) {
          tooOld();
        } else if (op < 26) {
          rolledBack();
        } else if (op < 28) {
          late();
        } else if (op < 34) {
          delete();
        } else if (op < 44) {
          int cut = db.cutBlocks().size();
          reach.blocksCut += cut;
          note("cut " + cut);
        } else if (op < 50) {
          int compacted = db.compact().size();
          reach.blocksCompacted += compacted;
          note("compact " + compacted);
        } else if (op < 54) {
          note("head snapshot " + db.writeHeadSnapshot());
        } else if (op < 57) {
          changeWindow();
        } else if (op < 60) {
          reopen();
        } else if (op < 63) {
          crash();
        } else {
          reshaped = false;
        }
        if (reshaped || r.nextInt(8) == 0) {
          verifyAll();
          verifyRandomSelect();
        }
      }
      reopen();
      verifyAll();
      crash();
      verifyAll();
    }

    void close() {
      if (db != null) {
        db.close();
      }
    }

    private void note(String what) {
      recent.addLast("step " + step + ": " + what);
      if (recent.size() > 25) {
        recent.removeFirst();
      }
    }

    private String context() {
      return "seed " + seed + " at step " + step + " (t=" + now + "); last operations:\n  "
          + String.join("\n  ", recent);
    }

    private ModelSeries series(Labels l) {
      return model.computeIfAbsent(l, k -> new ModelSeries());
    }

    private double nextValue(Labels l) {
      if (r.nextInt(60) == 0) {
        return SPECIAL[r.nextInt(SPECIAL.length)];
      }
      return switch (l.get("__name__")) {
        case "a_total" -> counters.merge(l, (double) r.nextInt(5), Double::sum);
        case "b_bytes" -> Math.round(r.nextGaussian() * 1000) / 10.0;
        default -> r.nextInt(3) == 0 ? r.nextDouble() * 1e6 : 42;
      };
    }

    /** One sample at {@code now} for most live series: must all be taken. */
    private void appendFresh() {
      Appender a = db.appender();
      Map<Labels, Object> batch = new HashMap<>();
      try {
        for (Labels l : FLOATS) {
          if (alive.get(l) && r.nextInt(10) != 0) {
            double v = nextValue(l);
            refs.put(l, a.append(ref(l), l, now, v));
            batch.put(l, Double.doubleToRawLongBits(v));
          }
        }
        for (Labels l : HISTOGRAMS) {
          FloatHistogram h = TestHistograms.random(r);
          refs.put(l, a.appendHistogram(ref(l), l, now, h));
          batch.put(l, h);
        }
      } catch (StorageException e) {
        throw new AssertionError("fresh sample refused: " + e.getMessage() + "\n" + context(), e);
      }
      a.commit();
      batch.forEach((l, v) -> acknowledged(l, now, v));
    }

    private long ref(Labels l) {
      Long ref = refs.get(l);
      return ref == null || r.nextBoolean() ? 0 : ref;
    }

    private void acknowledged(Labels l, long t, Object v) {
      ModelSeries s = series(l);
      s.samples.put(t, v);
      s.newest = Math.max(s.newest, t);
    }

    /** Commits one sample that must be taken ({@code what} names it in the failure). */
    private void taken(String what, Labels l, long t, Object v) {
      Appender a = db.appender();
      try {
        append(a, l, t, v);
      } catch (StorageException e) {
        throw new AssertionError(what + " refused: " + e.getMessage() + "\n" + context(), e);
      }
      a.commit();
    }

    /** Appends a float (a {@link Double}) or a histogram. */
    private void append(Appender a, Labels l, long t, Object v) {
      if (v instanceof FloatHistogram h) {
        a.appendHistogram(ref(l), l, t, h);
      } else {
        a.append(ref(l), l, t, (Double) v);
      }
    }

    /** The model's sample as the value to append again. */
    private static Object appendable(Object v) {
      return v instanceof Long bits ? (Object) Double.longBitsToDouble(bits) : v;
    }

    /** A float series with a sample, or a histogram series, or null. */
    private Labels someSeries() {
      return r.nextInt(3) == 0 ? HISTOGRAMS.get(r.nextInt(HISTOGRAMS.size())) : someFloatSeries();
    }

    /** The series' newest sample if it is still there and recent (so in the head), or null. */
    private Map.Entry<Long, Object> recentNewest(Labels l) {
      ModelSeries s = series(l);
      Map.Entry<Long, Object> last = s.samples.lastEntry();
      if (last == null) {
        return null;
      }
      // Otherwise deleted, or (long dead) in a block, where a sample is merely too old.
      return last.getKey() == s.newest && s.newest >= now - 2 * STEP ? last : null;
    }

    /** A float series with a sample, or null. */
    private Labels someFloatSeries() {
      List<Labels> with = new ArrayList<>();
      for (Labels l : FLOATS) {
        ModelSeries s = model.get(l);
        if (s != null && !s.samples.isEmpty()) {
          with.add(l);
        }
      }
      return with.isEmpty() ? null : with.get(r.nextInt(with.size()));
    }

    /** Within half the window behind the newest sample, at a time the series never had. */
    private void outOfOrder() {
      Labels l = someSeries();
      if (window == 0 || l == null) {
        return;
      }
      ModelSeries s = series(l);
      long t = now - 1 - r.nextLong(window / 2);
      if (s.samples.containsKey(t) || s.inDeleted(t) || t >= s.newest) {
        return;
      }
      Object v = HISTOGRAMS.contains(l) ? TestHistograms.random(r) : (Object) nextValue(l);
      note("out of order " + l + " t=" + t);
      taken("out-of-order sample within the window", l, t, v);
      acknowledged(l, t, v instanceof Double d ? Double.doubleToRawLongBits(d) : v);
      reach.outOfOrder++;
    }

    /**
     * Out of order onto a timestamp the series holds (within half the window): another value is
     * refused, the same sample taken and stored once.
     */
    private void collision() {
      Labels l = someSeries();
      if (window == 0 || l == null) {
        return;
      }
      ModelSeries s = series(l);
      Long t = s.samples.ceilingKey(now - window / 2);
      if (t == null || t >= s.newest) {
        return;
      }
      Object held = s.samples.get(t);
      Object other;
      if (held instanceof FloatHistogram h) {
        other = TestHistograms.random(r);
        if (((FloatHistogram) other).equalsExact(h)) {
          return;
        }
      } else {
        other = Double.longBitsToDouble((Long) held) == 5 ? 6.0 : 5.0;
      }
      note("out of order onto t=" + t + " of " + l);
      refused(l, t, other, Kind.DUPLICATE_TIMESTAMP);
      taken("an out-of-order repeat of a held sample", l, t, appendable(held));
      reach.collisions++;
    }

    /** The newest sample again, same value: taken without error and without a second copy. */
    private void exactRepeat() {
      Labels l = someSeries();
      Map.Entry<Long, Object> last = l == null ? null : recentNewest(l);
      if (last == null) {
        return;
      }
      note("exact repeat " + l + " t=" + last.getKey());
      taken("exact repeat", l, last.getKey(), appendable(last.getValue()));
      reach.exactRepeats++;
    }

    /** Another value at the newest timestamp: refused, as Prometheus refuses it. */
    private void conflicting() {
      Labels l = someSeries();
      Map.Entry<Long, Object> last = l == null ? null : recentNewest(l);
      if (last == null) {
        return;
      }
      if (last.getValue() instanceof FloatHistogram held) {
        FloatHistogram other = TestHistograms.random(r);
        if (!other.equalsExact(held)) {
          note("conflicting histogram " + l + " t=" + last.getKey());
          refused(l, last.getKey(), other, Kind.DUPLICATE_TIMESTAMP);
        }
        return;
      }
      long bits = (Long) last.getValue();
      double other = Double.isNaN(Double.longBitsToDouble(bits)) ? 1 : Double.longBitsToDouble(bits) + 1;
      if (Double.doubleToRawLongBits(other) == bits) {
        other = -1; // +Inf + 1
      }
      note("conflicting value " + l + " t=" + last.getKey());
      refused(l, last.getKey(), other, Kind.DUPLICATE_TIMESTAMP);
    }

    /**
     * Refused: before the end of the newest block, or more than half a block range behind the
     * newest sample (whatever the series: also one whose own newest is older), or behind a
     * recent series' newest sample with no window, or behind the window.
     */
    private void tooOld() {
      long minValid = db.head().minValidTime();
      int kind = r.nextInt(3);
      if (kind == 0 && minValid != Long.MIN_VALUE) {
        Labels l = FLOATS.get(r.nextInt(FLOATS.size()));
        long t = minValid - 1 - r.nextInt(100_000);
        note("before the newest block's end " + l + " t=" + t);
        refused(l, t, 1.0, behindWindow(t) ? Kind.TOO_OLD : Kind.OUT_OF_BOUNDS);
        return;
      }
      if (kind == 1) {
        Labels l = FLOATS.get(r.nextInt(FLOATS.size()));
        ModelSeries s = series(l);
        long lo = s.newest == Long.MIN_VALUE ? START : Math.max(START, s.newest + 1);
        long floor = db.head().appendFloor();
        if (lo < floor) {
          long t = lo + r.nextLong(floor - lo);
          note("behind the appendable window " + l + " t=" + t);
          refused(l, t, 1.0, behindWindow(t) ? Kind.TOO_OLD : Kind.OUT_OF_BOUNDS);
        }
        return;
      }
      Labels l = someFloatSeries();
      if (l == null || series(l).newest < now - 2 * STEP) {
        return;
      }
      long t = window == 0 ? series(l).newest - 1 - r.nextInt(1000)
          : now - window - 1 - r.nextLong(STEP * 3);
      note("too old " + l + " t=" + t);
      refused(l, t, 1.0, window == 0 ? Kind.OUT_OF_ORDER : Kind.TOO_OLD);
    }

    /**
     * After the series' own newest sample but behind the others' (a sender catching up): taken
     * down to half a block range behind the newest sample.
     */
    private void late() {
      Labels l = FLOATS.get(r.nextInt(FLOATS.size()));
      ModelSeries s = series(l);
      long from = Math.max(START, db.head().appendFloor());
      if (s.newest != Long.MIN_VALUE) {
        from = Math.max(from, s.newest + 1);
      }
      if (from >= now) {
        return;
      }
      long t = from + r.nextLong(now - from);
      if (s.inDeleted(t)) {
        return;
      }
      double v = nextValue(l);
      note("late " + l + " t=" + t);
      taken("late in-order sample", l, t, v);
      acknowledged(l, t, Double.doubleToRawLongBits(v));
      reach.late++;
    }

    /** With an out-of-order window, whether {@code t} lies behind it ("too old"). */
    private boolean behindWindow(long t) {
      return window > 0 && t < db.head().maxTime() - window;
    }

    private void refused(Labels l, long t, Object v, Kind kind) {
      Appender a = db.appender();
      try {
        append(a, l, t, v);
        a.commit();
      } catch (SampleRejectedException expected) {
        if (expected.kind() != kind) {
          fail("sample at t=" + t + " of " + l + " refused as " + expected.kind() + ", not "
              + kind + ": " + expected.getMessage() + "\n" + context());
        }
        a.commit(); // commits nothing: the refused sample left no trace
        reach.refused++;
        return;
      }
      fail("sample at t=" + t + " of " + l + " taken, must be refused\n" + context());
    }

    /**
     * A batch rolled back, then an older sample of the same series committed: taken only if the
     * rollback left the series' newest timestamp as it was.
     */
    private void rolledBack() {
      Labels l = FLOATS.get(r.nextInt(FLOATS.size()));
      ModelSeries s = series(l);
      long rolled = now + STEP / 2;
      long kept = now + STEP / 4;
      if (s.newest >= kept) {
        return;
      }
      note("rolled back " + l + " t=" + rolled + ", then t=" + kept);
      Appender a = db.appender();
      a.append(ref(l), l, rolled, 7);
      if (!l.equals(FLOATS.get(0))) {
        a.append(0, FLOATS.get(0), rolled, 8);
      }
      a.rollback();
      taken("sample before a rolled-back one", l, kept, 9.0);
      acknowledged(l, kept, Double.doubleToRawLongBits(9));
      reach.rolledBack++;
    }

    private List<Matcher> randomMatchers() {
      List<Matcher> ms = new ArrayList<>();
      switch (r.nextInt(6)) {
        case 0 -> ms.add(Matcher.equal("__name__", r.nextBoolean() ? "a_total" : "h"));
        case 1 -> ms.add(Matcher.of(MatchType.REGEX, "i", "1|3"));
        case 2 -> {
          ms.add(Matcher.equal("job", "node"));
          ms.add(Matcher.of(MatchType.NOT_EQUAL, "__name__", "c"));
        }
        case 3 -> ms.add(Matcher.of(MatchType.REGEX, "__name__", "b_.*|h"));
        case 4 -> {
          ms.add(Matcher.of(MatchType.NOT_REGEX, "i", "0|2"));
          ms.add(Matcher.of(MatchType.REGEX, "job", ".+"));
        }
        default -> ms.add(Matcher.equal("i", Integer.toString(r.nextInt(4))));
      }
      return ms;
    }

    private static boolean matches(Labels l, List<Matcher> ms) {
      for (Matcher m : ms) {
        String v = l.get(m.name());
        if (!m.matches(v == null ? "" : v)) {
          return false;
        }
      }
      return true;
    }

    private void delete() {
      List<Matcher> ms = randomMatchers();
      long lo = START + (long) (r.nextDouble() * (now - START));
      long hi = lo + (long) (r.nextDouble() * (now - lo));
      note("delete " + ms + " [" + lo + ", " + hi + "]");
      db.delete(lo, hi, ms);
      reach.deletes++;
      model.forEach((l, s) -> {
        if (matches(l, ms)) {
          s.samples.subMap(lo, true, hi, true).clear();
          s.deleted.add(new long[] {lo, hi});
        }
      });
    }

    private void changeWindow() {
      long[] windows = {0, RANGE / 4, RANGE / 2};
      window = windows[r.nextInt(windows.length)];
      note("out-of-order window " + window);
      db.updateLimits(window, 1000);
    }

    private void reopen() {
      note("close and open");
      db.close();
      db = null;
      db = Tsdb.open(dir, options());
      refs.clear();
      reach.reopens++;
    }

    /** Opens a copy of the files as they are between two commits, then drops the original. */
    private void crash() throws IOException {
      Path copy = tmp.resolve("crash-" + copies++);
      TestDirectories.copyTree(dir, copy);
      note("crash (copy " + copy.getFileName() + ")");
      db.close();
      db = null;
      FileTrees.delete(dir);
      dir = copy;
      db = Tsdb.open(dir, options());
      refs.clear();
      reach.crashes++;
    }

    private void verifyAll() {
      check(Long.MIN_VALUE, Long.MAX_VALUE, List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")),
          true);
    }

    private void verifyRandomSelect() {
      long lo = START + (long) (r.nextDouble() * (now - START + STEP)) - STEP;
      long hi = lo + (long) (r.nextDouble() * (now + STEP - lo));
      List<Matcher> ms = randomMatchers();
      check(lo, hi, ms, r.nextBoolean());
      checkLabelValues(lo, hi, ms);
      reach.selects++;
    }

    /**
     * Label values and names of the series matching {@code ms}: at least those of the series
     * with a sample in {@code [lo, hi]} (a store may answer per block, as Prometheus does, so
     * more may come), and none of series that never matched.
     */
    private void checkLabelValues(long lo, long hi, List<Matcher> ms) {
      Set<String> atLeast = new TreeSet<>();
      Set<String> atMost = new TreeSet<>();
      Set<String> namesAtLeast = new TreeSet<>();
      for (Map.Entry<Labels, ModelSeries> e : model.entrySet()) {
        if (matches(e.getKey(), ms)) {
          atMost.add(e.getKey().get("i"));
          if (!e.getValue().samples.subMap(lo, true, hi, true).isEmpty()) {
            atLeast.add(e.getKey().get("i"));
            e.getKey().forEach((name, value) -> namesAtLeast.add(name));
          }
        }
      }
      try (Querier q = db.querier(lo, hi)) {
        List<String> values = q.labelValues("i", ms);
        List<String> names = q.labelNames(ms);
        String what = " of " + ms + " over [" + lo + ", " + hi + "]: ";
        if (!values.containsAll(atLeast) || !atMost.containsAll(values)
            || !values.equals(values.stream().sorted().distinct().toList())) {
          fail("label values of i" + what + values + ", expected at least " + atLeast
              + " and at most " + atMost + ", sorted\n" + context());
        }
        if (!names.containsAll(namesAtLeast)
            || !List.of("__name__", "i", "job").containsAll(names)) {
          fail("label names" + what + names + ", expected at least " + namesAtLeast + "\n"
              + context());
        }
      }
    }

    private void check(long lo, long hi, List<Matcher> ms, boolean sorted) {
      Map<Labels, List<Object[]>> got = new HashMap<>();
      Labels previous = null;
      try (Querier q = db.querier(lo, hi)) {
        SeriesSet set = q.select(sorted, SelectHints.range(lo, hi), ms);
        while (set.next()) {
          Labels l = set.at().labels();
          if (sorted && previous != null && previous.compareTo(l) >= 0) {
            fail("select not sorted: " + previous + " then " + l + "\n" + context());
          }
          previous = l;
          List<Object[]> samples = new ArrayList<>();
          SampleIterator it = set.at().iterator(null);
          for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
            samples.add(new Object[] {it.atT(), k == ValueKind.HISTOGRAM ? it.atHistogram()
                : (Object) Double.doubleToRawLongBits(it.atF())});
          }
          if (got.put(l, samples) != null) {
            fail("series " + l + " selected twice\n" + context());
          }
        }
      }
      String what = "select " + ms + " over [" + lo + ", " + hi + "]";
      for (Map.Entry<Labels, ModelSeries> e : model.entrySet()) {
        if (!matches(e.getKey(), ms)) {
          continue;
        }
        NavigableMap<Long, Object> want = e.getValue().samples.subMap(lo, true, hi, true);
        List<Object[]> have = got.remove(e.getKey());
        if (want.isEmpty()) {
          if (have != null && !have.isEmpty()) {
            fail(what + ": " + e.getKey() + " has samples, none expected: first at t="
                + have.get(0)[0] + "\n" + context());
          }
          continue;
        }
        if (have == null) {
          fail(what + ": " + e.getKey() + " missing, expected " + want.size() + " samples from t="
              + want.firstKey() + "\n" + context());
        }
        compare(what + ": " + e.getKey(), want, have);
      }
      got.forEach((l, samples) -> {
        if (!samples.isEmpty()) {
          fail(what + ": unexpected series " + l + " with " + samples.size() + " samples\n"
              + context());
        }
      });
    }

    private void compare(String what, NavigableMap<Long, Object> want, List<Object[]> have) {
      int i = 0;
      for (Map.Entry<Long, Object> w : want.entrySet()) {
        if (i == have.size()) {
          fail(what + ": sample at t=" + w.getKey() + " missing (" + have.size() + " of "
              + want.size() + " read)\n" + context());
        }
        Object[] h = have.get(i++);
        if ((long) h[0] != w.getKey()) {
          fail(what + ": expected t=" + w.getKey() + ", read t=" + h[0] + "\n" + context());
        }
        boolean same = w.getValue() instanceof FloatHistogram fh
            ? h[1] instanceof FloatHistogram g && fh.equalsExact(g)
            : w.getValue().equals(h[1]);
        if (!same) {
          fail(what + ": at t=" + w.getKey() + " expected " + show(w.getValue()) + ", read "
              + show(h[1]) + "\n" + context());
        }
      }
      if (i < have.size()) {
        fail(what + ": unexpected sample at t=" + have.get(i)[0] + "\n" + context());
      }
    }

    private static String show(Object v) {
      return v instanceof Long bits ? Double.longBitsToDouble(bits) + " (bits "
          + Long.toHexString(bits) + ")" : String.valueOf(v);
    }
  }
}
