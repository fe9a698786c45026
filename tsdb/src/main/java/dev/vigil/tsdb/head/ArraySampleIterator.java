package dev.vigil.tsdb.head;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;

/** Iterates sorted sample arrays (the out-of-order buffer copy); {@code h} may be null. */
final class ArraySampleIterator implements SampleIterator {
  private final long[] t;
  private final double[] v;
  private final FloatHistogram[] h;
  private final int n;
  private int i = -1;

  ArraySampleIterator(long[] t, double[] v, FloatHistogram[] h, int n) {
    this.t = t;
    this.v = v;
    this.h = h;
    this.n = n;
  }

  private ValueKind kind() {
    if (i >= n) {
      return ValueKind.NONE;
    }
    return h != null && h[i] != null ? ValueKind.HISTOGRAM : ValueKind.FLOAT;
  }

  @Override
  public ValueKind next() {
    if (i < n) {
      i++;
    }
    return kind();
  }

  @Override
  public ValueKind seek(long ts) {
    if (i < 0) {
      i = 0;
    }
    while (i < n && t[i] < ts) {
      i++;
    }
    return kind();
  }

  @Override
  public long atT() {
    return t[i];
  }

  @Override
  public double atF() {
    return h != null && h[i] != null ? h[i].sum() : v[i];
  }

  @Override
  public FloatHistogram atHistogram() {
    return h == null ? null : h[i];
  }
}
