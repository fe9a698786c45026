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
 * @param topChurnPairs label pairs most involved in churning, as promtool counts it: over the
 *     series with the pair, the time of the database's range each does not cover (it started
 *     after the oldest sample or ended before the newest), summed, in units of the whole range
 * @param topChurnLabels the same per label name
 */
public record Analysis(List<BlockSummary> blocks, long headSeries, long headSamples, long series,
    long labelNames, long postings, long postingEntries, List<Count> topMetrics,
    List<Count> topLabels, List<Count> topLabelPairs, List<Count> topValueLength,
    List<Count> topChurnPairs, List<Count> topChurnLabels) {

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
    // Series with samples, and their time from first to last sample summed, per pair and name.
    Map<String, Long> sampledPerPair = new HashMap<>();
    Map<String, Long> sampledPerName = new HashMap<>();
    Map<String, Long> coveredPerPair = new HashMap<>();
    Map<String, Long> coveredPerName = new HashMap<>();
    long series = 0;
    long entries = 0;
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of());
      SampleIterator it = null;
      while (set.next()) {
        Labels l = set.at().labels();
        it = set.at().iterator(it);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        while (it.next() != ValueKind.NONE) {
          long t = it.atT();
          first = Math.min(first, t);
          last = Math.max(last, t);
        }
        boolean sampled = first <= last; // not when every sample is deleted
        if (sampled) {
          minT = Math.min(minT, first);
          maxT = Math.max(maxT, last);
        }
        series++;
        entries += l.size();
        perMetric.merge(l.metricName(), 1L, Long::sum);
        for (int i = 0; i < l.size(); i++) {
          String pair = l.name(i) + "=" + l.value(i);
          valuesPerName.computeIfAbsent(l.name(i), k -> new HashSet<>()).add(l.value(i));
          perPair.merge(pair, 1L, Long::sum);
          if (sampled) {
            sampledPerPair.merge(pair, 1L, Long::sum);
            sampledPerName.merge(l.name(i), 1L, Long::sum);
            coveredPerPair.merge(pair, last - first, Long::sum);
            coveredPerName.merge(l.name(i), last - first, Long::sum);
          }
        }
      }
    }
    long range = series == 0 ? 0 : maxT - minT;
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
        top(valueLength, topN), top(churn(sampledPerPair, coveredPerPair, range), topN),
        top(churn(sampledPerName, coveredPerName, range), topN));
  }

  /**
   * Per key: the range its series do not cover, {@code seriesCount × range - covered}, in whole
   * ranges (promtool truncates the same way); keys without churn are left out.
   */
  private static Map<String, Long> churn(Map<String, Long> seriesCount,
      Map<String, Long> covered, long range) {
    Map<String, Long> out = new HashMap<>();
    if (range <= 0) {
      return out;
    }
    seriesCount.forEach((k, n) -> {
      long units = (long) ((double) (n * range - covered.get(k)) / range);
      if (units > 0) {
        out.put(k, units);
      }
    });
    return out;
  }

  private static List<Count> top(Map<String, Long> counts, int n) {
    List<Count> all = new ArrayList<>();
    counts.forEach((k, v) -> all.add(new Count(k, v)));
    all.sort((a, b) -> a.count != b.count ? Long.compare(b.count, a.count) : a.name.compareTo(b.name));
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }
}
