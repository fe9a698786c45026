package dev.vigil.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code vigil tsdb analyze} prints for one database (like {@code promtool tsdb analyze}):
 * block sizes and bytes per sample, head size, and the highest-cardinality metrics and labels.
 *
 * @param blocks one summary per block, oldest first
 * @param headSeries series in the head with samples
 * @param headSamples samples in the head
 * @param topMetrics metric names with the most series (head and blocks), descending
 * @param topLabels label names with the most distinct values, descending
 */
public record Analysis(List<BlockSummary> blocks, long headSeries, long headSamples,
    List<Count> topMetrics, List<Count> topLabels) {

  /** A block's figures; {@code bytes} counts index and chunk files. */
  public record BlockSummary(String ulid, long minTime, long maxTime, long series, long samples,
      long chunks, long bytes) {
    public double bytesPerSample() {
      return samples == 0 ? 0 : (double) bytes / samples;
    }
  }

  public record Count(String name, long count) {}

  /** Scans the whole database (every head sample, every series' labels); not for hot paths. */
  public static Analysis of(Tsdb db, int topN) {
    List<BlockSummary> blocks = new ArrayList<>();
    for (Block b : db.blocks()) {
      BlockMeta m = b.meta();
      long bytes = m.indexLength();
      for (long l : m.chunkSegmentLengths()) {
        bytes += l;
      }
      blocks.add(new BlockSummary(m.ulid(), m.minTime(), m.maxTime(), m.numSeries(),
          m.numSamples(), m.numChunks(), bytes));
    }
    long headSeries = 0;
    long headSamples = 0;
    try (Querier q = db.head().querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(false, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of());
      SampleIterator reuse = null;
      while (set.next()) {
        headSeries++;
        reuse = set.at().iterator(reuse);
        while (reuse.next() != ValueKind.NONE) {
          headSamples++;
        }
      }
    }
    Map<String, Long> perMetric = new HashMap<>();
    Map<String, Long> perLabel = new HashMap<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of());
      while (set.next()) {
        Labels l = set.at().labels();
        perMetric.merge(l.metricName(), 1L, Long::sum);
      }
      for (String name : q.labelNames(List.of())) {
        perLabel.put(name, (long) q.labelValues(name, List.of()).size());
      }
    }
    return new Analysis(blocks, headSeries, headSamples, top(perMetric, topN), top(perLabel, topN));
  }

  private static List<Count> top(Map<String, Long> counts, int n) {
    List<Count> all = new ArrayList<>();
    counts.forEach((k, v) -> all.add(new Count(k, v)));
    all.sort((a, b) -> a.count != b.count ? Long.compare(b.count, a.count) : a.name.compareTo(b.name));
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }
}
