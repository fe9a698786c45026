package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.head.HeadOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random interleavings of everything that moves data between the head, the WAL, snapshots and
 * blocks: in-order and out-of-order appends (floats, histograms, NaN and stale markers),
 * rollbacks, deletes, block cuts, compactions, retention, head snapshots while open, closes
 * with and without a snapshot followed by a reopen, and restarts of a copy taken as if the
 * process had been killed. After every step the whole database must answer
 * exactly what a plain model (sorted maps) holds. Only samples the database is bound to accept
 * are generated, so the model needs none of its rejection rules: new in-order timestamps,
 * out-of-order ones well inside the window and never repeated, deletes of ranges no later
 * sample can fall into.
 */
class TsdbLifecycleTest {
  private static final long RANGE = 20_000;
  private static final long WINDOW = RANGE / 4;
  private static final int STEPS = 120;
  private static final int SEEDS = Integer.getInteger("seeds", 16);

  @TempDir
  Path dir;

  /** What the runs did, so that the test fails if the generator stops reaching a step. */
  private int blocksCut;
  private int blocksCompacted;
  private int blocksDropped;
  private int lateSamples;
  private int deletes;
  private int snapshotRestores;
  private int replays;
  private int crashRestarts;

  @Test
  void randomLifecyclesAnswerLikeTheModel() throws IOException {
    for (int seed = 1; seed <= SEEDS; seed++) {
      Path path = dir.resolve("seed" + seed);
      run(seed, path);
      FileTrees.delete(path);
    }
    // 500 seeds (-Dseeds=500, 2 min) averaged per seed: 12 blocks cut, 10 compacted, 24 late
    // samples, 9 deletes, 9 restores from a snapshot, 3 full replays.
    assertThat(blocksCut).isGreaterThan(50);
    assertThat(blocksCompacted).isGreaterThan(30);
    assertThat(blocksDropped).isGreaterThan(5);
    assertThat(lateSamples).isGreaterThan(100);
    assertThat(deletes).isGreaterThan(40);
    assertThat(snapshotRestores).isGreaterThan(20);
    assertThat(replays).isGreaterThan(8);
    assertThat(crashRestarts).isGreaterThan(20);
  }

  /**
   * The seed's options: besides the defaults, small head chunks, small {@code chunks_head} files
   * and WAL segments (so rotation and chunk cuts happen often), one or three replay shards, and
   * XOR or small packed block chunks. The head chunk files are 1 MiB at most (instead of 128):
   * the crash copies copy them whole.
   */
  private static TsdbOptions options(long seed, boolean snapshotOnClose) {
    int v = (int) (seed % 3);
    TsdbOptions o = TsdbOptions.defaults().withBlockRangeMs(RANGE)
        .withSnapshotOnShutdown(snapshotOnClose).withHeadChunkFileSize(1 << 20);
    if (v > 0) {
      o = o.withHeadChunkFileSize(v == 1 ? 4096 : 65_536)
          .withWal(o.wal().withSegmentSize(v == 1 ? 4096 : 32_768))
          .withReplayApplyShards(v == 1 ? 1 : 3)
          .withPackedSamplesPerChunk(v == 1 ? 0 : 50);
    }
    int perChunk = new int[] {120, 7, 30}[v];
    return o.withHead(new HeadOptions(WINDOW, perChunk));
  }

  private void run(long seed, Path path) throws IOException {
    Random r = new Random(seed);
    int n = 20 + r.nextInt(20);
    List<Labels> series = new ArrayList<>();
    boolean[] histogram = new boolean[n];
    long[] maxT = new long[n];
    double[] last = new double[n];
    List<TreeMap<Long, String>> model = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      series.add(Labels.of("__name__", "m" + (i % 3), "job", "j" + (i % 4), "i",
          Integer.toString(i)));
      histogram[i] = i % 7 == 3;
      maxT[i] = r.nextInt(5_000);
      model.add(new TreeMap<>());
    }
    long globalMax = 0;
    Tsdb db = Tsdb.open(path, options(seed, r.nextBoolean()));
    List<String> history = new ArrayList<>();
    try {
      for (int step = 0; step < STEPS; step++) {
        int op = r.nextInt(100);
        String what;
        if (op < 60) {
          // A batch of appends, committed or rolled back.
          Appender a = db.appender();
          List<Runnable> onCommit = new ArrayList<>();
          // Samples before the last cut's end are out of bounds (a block holds that range), and
          // so are those more than half a block range behind the newest sample.
          long minValid = db.head().minValidTime();
          long floor = db.head().appendFloor();
          long batchFloor = Math.max(globalMax - WINDOW / 2, minValid);
          long batchMax = globalMax;
          int k = 1 + r.nextInt(60);
          int late = 0;
          for (int j = 0; j < k; j++) {
            int s = r.nextInt(n);
            TreeMap<Long, String> m = model.get(s);
            long t;
            boolean ooo = !histogram[s] && globalMax > 0 && r.nextInt(5) == 0
                && maxT[s] - batchFloor > 2;
            if (ooo) {
              t = batchFloor + 1 + r.nextLong(maxT[s] - batchFloor - 1);
              if (m.containsKey(t) || t >= maxT[s]) {
                continue;
              }
              late++;
            } else {
              t = Math.max(maxT[s], floor) + 1 + r.nextInt(r.nextInt(10) == 0 ? 20_000 : 2_000);
              maxT[s] = t;
            }
            batchMax = Math.max(batchMax, t);
            if (histogram[s]) {
              FloatHistogram h = QueryableContract.histogramForTest(step * 1000L + j);
              a.appendHistogram(0, series.get(s), t, h);
              onCommit.add(() -> m.put(t, h.toString()));
            } else {
              double v = switch (r.nextInt(10)) {
                case 0 -> Double.NaN;
                case 1 -> StaleNaN.VALUE;
                default -> last[s] += r.nextInt(5);
              };
              a.append(0, series.get(s), t, v);
              String bits = Long.toHexString(Double.doubleToRawLongBits(v));
              onCommit.add(() -> m.put(t, bits));
            }
            // Reserved until the commit: a later out-of-order pick must not reuse a timestamp of
            // this batch either (the model has no rule for duplicates).
            m.putIfAbsent(t, null);
          }
          if (r.nextBoolean()) {
            // A burst into one series: fills head chunks, so chunks_head and its replay are in.
            int s = r.nextInt(3);
            TreeMap<Long, String> m = model.get(s);
            int burst = 20 + r.nextInt(120);
            for (int j = 0; j < burst && !histogram[s]; j++) {
              long t = Math.max(maxT[s], floor) + 1 + r.nextInt(100);
              maxT[s] = t;
              batchMax = Math.max(batchMax, t);
              double v = last[s] += r.nextInt(3);
              a.append(0, series.get(s), t, v);
              String bits = Long.toHexString(Double.doubleToRawLongBits(v));
              onCommit.add(() -> m.put(t, bits));
              m.putIfAbsent(t, null);
            }
          }
          if (r.nextInt(8) == 0) {
            a.rollback();
            what = "rollback of " + k + " samples";
            for (TreeMap<Long, String> m : model) {
              m.values().removeIf(v -> v == null);
            }
            // The in-order clocks moved on: gaps are fine.
          } else {
            a.commit();
            onCommit.forEach(Runnable::run);
            globalMax = batchMax;
            lateSamples += late;
            what = "commit of " + k + " samples (" + late + " out of order)";
          }
        } else if (op < 68) {
          // Delete a range no later sample can land in: before the newest sample of every
          // series it matches and before the out-of-order window. Mostly recent ranges, which
          // the head still holds.
          String job = "j" + r.nextInt(4);
          long floor = globalMax - WINDOW;
          for (int s = 0; s < n; s++) {
            if (series.get(s).get("job").equals(job)) {
              floor = Math.min(floor, maxT[s]);
            }
          }
          if (floor <= 1) {
            continue;
          }
          long lo = r.nextBoolean() ? r.nextLong(floor)
              : Math.max(0, floor - 1 - r.nextInt(5_000));
          long hi = lo + r.nextLong(floor - lo);
          db.delete(lo, hi, List.of(Matcher.of(MatchType.EQUAL, "job", job)));
          for (int s = 0; s < n; s++) {
            if (series.get(s).get("job").equals(job)) {
              model.get(s).subMap(lo, true, hi, true).clear();
            }
          }
          deletes++;
          what = "delete [" + lo + ", " + hi + "] of job " + job;
        } else if (op < 78) {
          int cut = db.cutBlocks().size();
          blocksCut += cut;
          what = "cut " + cut + " blocks";
        } else if (op < 84) {
          int compacted = db.compact().size();
          blocksCompacted += compacted;
          what = "compact into " + compacted + " blocks";
        } else if (op < 86) {
          // Retention: whole blocks go, and with them every sample of their range (the head
          // accepts none there any more).
          List<Block> before = db.blocks();
          // By age, or by size (down to a limit below one block: every block goes).
          int dropped = r.nextBoolean() ? db.applyRetention(RANGE * (2 + r.nextInt(4)), 0)
              : db.applyRetention(0, 1 + r.nextInt(40_000));
          List<Block> after = db.blocks();
          for (Block b : before) {
            if (!after.contains(b)) {
              for (TreeMap<Long, String> m : model) {
                m.subMap(b.meta().minTime(), b.meta().maxTime()).clear();
              }
            }
          }
          blocksDropped += dropped;
          what = "retention dropped " + dropped + " blocks";
        } else if (op < 88) {
          db.writeHeadSnapshot();
          what = "head snapshot while open";
        } else if (op < 92) {
          // A crash right now: the files as they are (what the process wrote, not what it
          // buffers: the head chunk files' write buffer is lost), opened as a copy.
          Path copy = path.resolveSibling(path.getFileName() + "-crash" + step);
          TestDirectories.copyTree(path, copy);
          try (Tsdb crashed = Tsdb.open(copy, options(seed, false))) {
            assertAnswersLikeModel(crashed, series, model, "seed " + seed + " step " + step
                + ": restart after a crash; before: "
                + history.subList(Math.max(0, history.size() - 6), history.size()));
          }
          FileTrees.delete(copy);
          crashRestarts++;
          what = "restart of a crashed copy";
        } else {
          boolean snapshot = r.nextBoolean();
          db.close();
          db = Tsdb.open(path, options(seed, snapshot));
          if (db.replayStats().snapshotSeries() > 0) {
            snapshotRestores++;
          } else {
            replays++;
          }
          what = "close and reopen (next close " + (snapshot ? "with" : "without")
              + " a snapshot)";
        }
        history.add(what);
        assertAnswersLikeModel(db, series, model, "seed " + seed + " step " + step + ": "
            + what + "; before: " + history.subList(Math.max(0, history.size() - 6),
            history.size() - 1));
      }
    } finally {
      db.close();
    }
  }

  private static void assertAnswersLikeModel(Tsdb db, List<Labels> series,
      List<TreeMap<Long, String>> model, String what) {
    TreeMap<Labels, TreeMap<Long, String>> want = new TreeMap<>();
    for (int s = 0; s < series.size(); s++) {
      TreeMap<Long, String> m = new TreeMap<>(model.get(s));
      m.values().removeIf(v -> v == null);
      if (!m.isEmpty()) {
        want.put(series.get(s), m);
      }
    }
    List<String> expected = new ArrayList<>();
    for (Map.Entry<Labels, TreeMap<Long, String>> e : want.entrySet()) {
      StringBuilder sb = new StringBuilder(e.getKey().toString()).append(':');
      e.getValue().forEach((t, v) -> sb.append(' ').append(t).append('=').append(v));
      expected.add(sb.toString());
    }
    List<Matcher> all = List.of(Matcher.of(MatchType.REGEX, "__name__", ".+"));
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      List<String> got = new ArrayList<>(QueryableContract.dump(
          q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), all)));
      got.removeIf(line -> line.endsWith(":"));
      // Counter-reset hints are the store's to set (per chunk, as Prometheus's): not compared.
      got.replaceAll(line -> line.replaceAll(" hint:[A-Z_]+", ""));
      expected.replaceAll(line -> line.replaceAll(" hint:[A-Z_]+", ""));
      assertThat(got).as(what).isEqualTo(expected);
    }
  }
}
