package dev.vigil.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.block.EncodingUsage;
import dev.vigil.tsdb.chunkenc.Encoding;
import dev.vigil.tsdb.head.Head;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code vigil tsdb analyze} prints for one database (like {@code promtool tsdb analyze}):
 * block sizes and bytes per sample (also per chunk encoding), head size, the label index
 * statistics and the highest-cardinality metrics, label names and label pairs, over head and
 * blocks together.
 *
 * @param blocks one summary per block, oldest first
 * @param headSeries series in the head with samples not yet in a block
 * @param headSamples samples in the head not yet in a block
 * @param series distinct series (head and blocks)
 * @param labelNames distinct label names
 * @param postings distinct label pairs ({@code name=value}), promtool's "postings"
 * @param postingEntries label pairs summed over all series, promtool's "postings entries"
 * @param topMetrics metric names with the most series (head and blocks), descending
 * @param topLabels label names with the most distinct values, descending
 * @param topLabelPairs label pairs found in the most series, descending
 * @param topValueLength label names with the highest summed length of their distinct values
 */
public record Analysis(List<BlockSummary> blocks, long headSeries, long headSamples, long series,
    long labelNames, long postings, long postingEntries, List<Count> topMetrics,
    List<Count> topLabels, List<Count> topLabelPairs, List<Count> topValueLength) {

  /**
   * A block's figures; {@code bytes} counts index and chunk files, {@code encodings} the chunk
   * bytes per chunk encoding.
   */
  public record BlockSummary(String ulid, long minTime, long maxTime, long series, long samples,
      long chunks, long bytes, int level, List<EncodingUsage> encodings) {
    public double bytesPerSample() {
      return samples == 0 ? 0 : (double) bytes / samples;
    }
  }

  public record Count(String name, long count) {}

  /** Samples in blocks and head together. */
  public long totalSamples() {
    long n = headSamples;
    for (BlockSummary b : blocks) {
      n += b.samples;
    }
    return n;
  }

  /** Chunks, samples and chunk bytes per encoding over all blocks, in encoding order. */
  public List<EncodingUsage> encodingTotals() {
    Encoding[] all = Encoding.values();
    long[][] sums = new long[all.length][3];
    for (BlockSummary b : blocks) {
      for (EncodingUsage u : b.encodings) {
        long[] x = sums[u.encoding().ordinal()];
        x[0] += u.chunks();
        x[1] += u.samples();
        x[2] += u.bytes();
      }
    }
    List<EncodingUsage> out = new ArrayList<>();
    for (int e = 0; e < all.length; e++) {
      if (sums[e][0] > 0) {
        out.add(new EncodingUsage(all[e], sums[e][0], sums[e][1], sums[e][2]));
      }
    }
    return out;
  }

  /** Scans the whole database (every head sample, every series' labels); not for hot paths. */
  public static Analysis of(Tsdb db, int topN) {
    return of(db.blocks(), db.head(), db, topN);
  }

  /** As {@link #of(Tsdb, int)}, for a database opened read only. */
  public static Analysis of(ReadOnlyTsdb db, int topN) {
    return of(db.blocks(), db.head(), db, topN);
  }

  private static Analysis of(List<Block> dbBlocks, Head head, Queryable db, int topN) {
    List<BlockSummary> blocks = new ArrayList<>();
    for (Block b : dbBlocks) {
      if (!b.tryAcquire()) {
        continue; // dropped by a compaction or retention meanwhile
      }
      try {
        BlockMeta m = b.meta();
        long bytes = m.indexLength();
        for (long l : m.chunkSegmentLengths()) {
          bytes += l;
        }
        blocks.add(new BlockSummary(m.ulid(), m.minTime(), m.maxTime(), m.numSeries(),
            m.numSamples(), m.numChunks(), bytes, m.level(), b.encodingUsage()));
      } finally {
        b.release();
      }
    }
    long headSeries = 0;
    long headSamples = 0;
    // The head keeps whole chunks straddling the last cut: count only what is not in a block.
    try (Querier q = head.querier(head.minValidTime(), Long.MAX_VALUE)) {
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
    Map<String, Set<String>> valuesPerName = new HashMap<>();
    Map<String, Long> perPair = new HashMap<>();
    long series = 0;
    long entries = 0;
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of());
      while (set.next()) {
        Labels l = set.at().labels();
        series++;
        entries += l.size();
        perMetric.merge(l.metricName(), 1L, Long::sum);
        for (int i = 0; i < l.size(); i++) {
          valuesPerName.computeIfAbsent(l.name(i), k -> new HashSet<>()).add(l.value(i));
          perPair.merge(l.name(i) + "=" + l.value(i), 1L, Long::sum);
        }
      }
    }
    Map<String, Long> perLabel = new HashMap<>();
    Map<String, Long> valueLength = new HashMap<>();
    valuesPerName.forEach((name, values) -> {
      perLabel.put(name, (long) values.size());
      long len = 0;
      for (String v : values) {
        len += v.length();
      }
      valueLength.put(name, len);
    });
    return new Analysis(blocks, headSeries, headSamples, series, valuesPerName.size(),
        perPair.size(), entries, top(perMetric, topN), top(perLabel, topN), top(perPair, topN),
        top(valueLength, topN));
  }

  private static List<Count> top(Map<String, Long> counts, int n) {
    List<Count> all = new ArrayList<>();
    counts.forEach((k, v) -> all.add(new Count(k, v)));
    all.sort((a, b) -> a.count != b.count ? Long.compare(b.count, a.count) : a.name.compareTo(b.name));
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }
}
