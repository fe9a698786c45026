package dev.vigil.tsdb.block;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunks.ChunkSegmentReader;

/**
 * Iterates a block series' chunks in order, reading each chunk from the segment files only when
 * the iteration reaches it; {@link #seek} skips chunks by their max time without reading them.
 */
final class BlockSeriesIterator implements SampleIterator {
  private final ChunkSegmentReader reader;
  private final long[] maxT;
  private final long[] refs;
  private SampleIterator cur;
  private SampleIterator scratch;
  private int idx = -1;
  private ValueKind kind = ValueKind.NONE;

  BlockSeriesIterator(ChunkSegmentReader reader, long[] maxT, long[] refs) {
    this.reader = reader;
    this.maxT = maxT;
    this.refs = refs;
  }

  private SampleIterator open(int i) {
    scratch = reader.read(refs[i]).iterator(scratch);
    return scratch;
  }

  @Override
  public ValueKind next() {
    while (true) {
      if (cur != null) {
        kind = cur.next();
        if (kind != ValueKind.NONE) {
          return kind;
        }
        cur = null;
      }
      if (idx + 1 >= refs.length) {
        idx = refs.length;
        return kind = ValueKind.NONE;
      }
      cur = open(++idx);
    }
  }

  @Override
  public ValueKind seek(long t) {
    if (cur != null && kind != ValueKind.NONE && cur.atT() >= t) {
      return kind;
    }
    if (idx < 0) {
      idx = 0;
    }
    for (; idx < refs.length; idx++) {
      if (maxT[idx] < t) {
        cur = null;
        continue;
      }
      if (cur == null) {
        cur = open(idx);
      }
      kind = cur.seek(t);
      if (kind != ValueKind.NONE) {
        return kind;
      }
      cur = null;
    }
    return kind = ValueKind.NONE;
  }

  @Override
  public long atT() {
    return cur.atT();
  }

  @Override
  public double atF() {
    return cur.atF();
  }

  @Override
  public FloatHistogram atHistogram() {
    return cur.atHistogram();
  }
}
