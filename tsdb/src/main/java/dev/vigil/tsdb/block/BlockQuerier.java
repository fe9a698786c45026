package dev.vigil.tsdb.block;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.Series;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.head.BoundedIterator;
import dev.vigil.tsdb.head.DeletedIntervalsIterator;
import dev.vigil.tsdb.index.IndexReader;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads a block over {@code [minT, maxT]}. Series come out in label order (block ids are label
 * order). Only series with a sample in range are returned, as the head does.
 */
final class BlockQuerier implements Querier {
  private final Block block;
  private final long minT;
  private final long maxT;

  BlockQuerier(Block block, long minT, long maxT) {
    this.block = block;
    this.minT = minT;
    this.maxT = maxT;
  }

  private boolean disjoint() {
    return minT > maxT || block.meta().maxTime() <= minT || block.meta().minTime() > maxT;
  }

  /**
   * The chunks of a series overlapping the range: their min times, max times, refs, tombstones
   * (or null) and largest gaps, in that order; null when no chunk overlaps.
   */
  private long[][] overlapping(int id, IndexReader.SeriesEntry e) {
    int from = 0;
    while (from < e.maxT().length && e.maxT()[from] < minT) {
      from++;
    }
    int to = from;
    while (to < e.minT().length && e.minT()[to] <= maxT) {
      to++;
    }
    if (from == to) {
      return null;
    }
    return new long[][] {Arrays.copyOfRange(e.minT(), from, to),
        Arrays.copyOfRange(e.maxT(), from, to), Arrays.copyOfRange(e.refs(), from, to),
        block.deleted(id), Arrays.copyOfRange(e.maxGap(), from, to)};
  }

  private SampleIterator iterator(long[][] cs) {
    return iterator(cs, null);
  }

  /** An iterator over the chunks; {@code reuse} is taken over when it read this block before. */
  private SampleIterator iterator(long[][] cs, SampleIterator reuse) {
    if (cs[3] == null && reuse instanceof BoundedIterator b
        && b.wrapped() instanceof BlockSeriesIterator bs && bs.reads(block.chunks())) {
      bs.reset(cs[1], cs[2]);
      b.reset(minT, maxT);
      return b;
    }
    SampleIterator it = new BlockSeriesIterator(block.chunks(), block.inflaters(), cs[1], cs[2]);
    if (cs[3] != null) {
      it = new DeletedIntervalsIterator(it, cs[3]);
    }
    return new BoundedIterator(it, minT, maxT);
  }

  /**
   * Whether the chunks hold a sample in range. The index decides without reading a chunk when
   * a chunk's first or last sample is in range, or when the part of the range inside a chunk
   * is at least as long as the chunk's largest gap between samples: some sample must then fall
   * in it. Otherwise (the range may lie in a gap; tombstones) the chunks are read.
   */
  private boolean hasSample(long[][] cs) {
    if (cs[3] == null) {
      long[] lo = cs[0];
      long[] hi = cs[1];
      long[] gap = cs[4];
      for (int i = 0; i < lo.length; i++) {
        long a = Math.max(minT, lo[i]);
        long b = Math.min(maxT, hi[i]);
        // Past a (> lo[i]), the first sample follows the last one before a by at most gap.
        if (a <= b && (a == lo[i] || b == hi[i] || b - a >= gap[i] - 1)) {
          return true;
        }
      }
    }
    return iterator(cs).next() != ValueKind.NONE;
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
    if (disjoint()) {
      return SeriesSet.EMPTY;
    }
    RoaringBitmap ids = block.index().select(matchers);
    PeekableIntIterator it = ids.getIntIterator();
    return new SeriesSet() {
      private Series cur;

      @Override
      public boolean next() {
        while (it.hasNext()) {
          int id = it.next();
          IndexReader.SeriesEntry e = block.index().series(id);
          long[][] cs = overlapping(id, e);
          if (cs != null && hasSample(cs)) {
            Labels l = e.labels();
            cur = new Series() {
              @Override
              public Labels labels() {
                return l;
              }

              @Override
              public SampleIterator iterator(SampleIterator reuse) {
                return BlockQuerier.this.iterator(cs, reuse);
              }
            };
            return true;
          }
        }
        cur = null;
        return false;
      }

      @Override
      public Series at() {
        return cur;
      }
    };
  }

  /**
   * Whether every series of the block has a sample in range: the range covers the block's
   * (whose samples all lie in {@code [minTime, maxTime)}) and no tombstone deleted any. Label
   * names and values then come from the index's postings without reading series.
   */
  private boolean coversBlock() {
    return !block.hasTombstones() && minT <= block.meta().minTime()
        && maxT >= block.meta().maxTime() - 1;
  }

  private RoaringBitmap idsWithSamples(List<Matcher> matchers) {
    if (disjoint()) {
      return new RoaringBitmap();
    }
    RoaringBitmap ids = block.index().select(matchers);
    if (coversBlock()) {
      return ids;
    }
    RoaringBitmap out = new RoaringBitmap();
    PeekableIntIterator it = ids.getIntIterator();
    while (it.hasNext()) {
      int id = it.next();
      long[][] cs = overlapping(id, block.index().series(id));
      if (cs != null && hasSample(cs)) {
        out.add(id);
      }
    }
    return out;
  }

  @Override
  public List<String> labelValues(String name, List<Matcher> matchers) {
    if (matchers.isEmpty() && !disjoint() && coversBlock()) {
      return nonEmpty(block.index().labelValues(name));
    }
    RoaringBitmap ids = idsWithSamples(matchers);
    TreeSet<String> values = new TreeSet<>();
    // Loading a value's postings costs about two series entries (BlockLabelsBenchmark): with
    // under half as many values as series, test each value's postings against the series.
    if (2L * block.index().valueCount(name) < ids.getLongCardinality()) {
      block.index().forEachValue(name, (value, postings) -> {
        if (!value.isEmpty() && RoaringBitmap.intersects(postings, ids)) {
          values.add(value);
        }
      });
      return List.copyOf(values);
    }
    PeekableIntIterator it = ids.getIntIterator();
    while (it.hasNext()) {
      String v = block.index().series(it.next()).labels().get(name);
      if (!v.isEmpty()) {
        values.add(v);
      }
    }
    return List.copyOf(values);
  }

  private static List<String> nonEmpty(List<String> values) {
    return values.contains("") ? values.stream().filter(v -> !v.isEmpty()).toList() : values;
  }

  @Override
  public List<String> labelNames(List<Matcher> matchers) {
    if (matchers.isEmpty() && !disjoint() && coversBlock()) {
      return block.index().labelNames();
    }
    TreeSet<String> names = new TreeSet<>();
    PeekableIntIterator it = idsWithSamples(matchers).getIntIterator();
    while (it.hasNext()) {
      Labels l = block.index().series(it.next()).labels();
      for (int i = 0; i < l.size(); i++) {
        names.add(l.name(i));
      }
    }
    return List.copyOf(names);
  }

  @Override
  public void close() {}
}
