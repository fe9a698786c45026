package dev.vigil.tsdb.head;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import java.util.Arrays;

/**
 * Hides samples inside deleted intervals (tombstones). {@code intervals} holds sorted,
 * non-overlapping closed intervals as {@code [min0, max0, min1, max1, ...]}.
 */
public final class DeletedIntervalsIterator implements SampleIterator {
  private final SampleIterator in;
  private final long[] intervals;
  private int next; // first interval that may still cover a coming sample

  public DeletedIntervalsIterator(SampleIterator in, long[] intervals) {
    this.in = in;
    this.intervals = intervals;
  }

  private ValueKind skipDeleted(ValueKind k) {
    while (k != ValueKind.NONE) {
      long t = in.atT();
      while (next < intervals.length && intervals[next + 1] < t) {
        next += 2;
      }
      if (next >= intervals.length || t < intervals[next]) {
        return k;
      }
      // Inside [min, max]: jump past the interval.
      long after = intervals[next + 1];
      k = after == Long.MAX_VALUE ? ValueKind.NONE : in.seek(after + 1);
    }
    return k;
  }

  @Override
  public ValueKind next() {
    return skipDeleted(in.next());
  }

  @Override
  public ValueKind seek(long t) {
    return skipDeleted(in.seek(t));
  }

  @Override
  public long atT() {
    return in.atT();
  }

  @Override
  public double atF() {
    return in.atF();
  }

  @Override
  public FloatHistogram atHistogram() {
    return in.atHistogram();
  }

  /** Adds {@code [min, max]} to sorted disjoint intervals, merging overlaps; returns a new array. */
  public static long[] add(long[] intervals, long min, long max) {
    long[] out = new long[intervals.length + 2];
    int n = 0;
    boolean placed = false;
    for (int i = 0; i < intervals.length; i += 2) {
      long a = intervals[i];
      long b = intervals[i + 1];
      if (b < min && b != Long.MAX_VALUE && b + 1 < min) {
        out[n++] = a;
        out[n++] = b;
      } else if (a > max && max != Long.MAX_VALUE && max + 1 < a) {
        if (!placed) {
          out[n++] = min;
          out[n++] = max;
          placed = true;
        }
        out[n++] = a;
        out[n++] = b;
      } else {
        min = Math.min(min, a);
        max = Math.max(max, b);
      }
    }
    if (!placed) {
      out[n++] = min;
      out[n++] = max;
    }
    return Arrays.copyOf(out, n);
  }
}
