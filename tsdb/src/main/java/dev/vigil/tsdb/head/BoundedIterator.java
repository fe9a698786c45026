package dev.vigil.tsdb.head;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;

/** Restricts an iterator to samples with timestamps in {@code [mint, maxt]}. */
public final class BoundedIterator implements SampleIterator {
  private final SampleIterator in;
  private long mint;
  private long maxt;
  private boolean started;
  private boolean done;

  public BoundedIterator(SampleIterator in, long mint, long maxt) {
    this.in = in;
    this.mint = mint;
    this.maxt = maxt;
  }

  /** The iterator it restricts. */
  public SampleIterator wrapped() {
    return in;
  }

  /**
   * Starts over with new bounds, for a caller that has reset the wrapped iterator to the start
   * of another series.
   */
  public void reset(long mint, long maxt) {
    this.mint = mint;
    this.maxt = maxt;
    started = false;
    done = false;
  }

  private ValueKind bound(ValueKind k) {
    if (k == ValueKind.NONE || in.atT() > maxt) {
      done = true;
      return ValueKind.NONE;
    }
    return k;
  }

  @Override
  public ValueKind next() {
    if (done) {
      return ValueKind.NONE;
    }
    if (!started) {
      started = true;
      return bound(in.seek(mint));
    }
    return bound(in.next());
  }

  @Override
  public ValueKind seek(long t) {
    if (done) {
      return ValueKind.NONE;
    }
    started = true;
    return bound(in.seek(Math.max(t, mint)));
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
}
