package dev.vigil.model.storage;

import dev.vigil.model.histogram.FloatHistogram;

/**
 * Iterates the samples of one series in timestamp order. Not thread-safe. Allocation-free for
 * float samples: callers read the current sample with {@link #atT()} and {@link #atF()}.
 */
public interface SampleIterator {
  /** Advances to the next sample; returns its kind, or {@link ValueKind#NONE} at the end. */
  ValueKind next();

  /**
   * Advances to the first sample with timestamp {@code >= t} (staying put if the current one
   * already qualifies); returns its kind, or {@link ValueKind#NONE} if there is none.
   */
  ValueKind seek(long t);

  /** Timestamp in milliseconds of the current sample. */
  long atT();

  /** Value of the current float sample. */
  double atF();

  /** The current histogram sample. */
  FloatHistogram atHistogram();

  /**
   * Start timestamp in milliseconds of the current sample (the time the cumulative series or
   * the delta interval began, as OTLP and remote write 2.0 carry it), or 0 when unknown. Stores
   * that keep no start timestamps inherit this default.
   */
  default long atST() {
    return 0;
  }

  SampleIterator EMPTY = new SampleIterator() {
    @Override
    public ValueKind next() {
      return ValueKind.NONE;
    }

    @Override
    public ValueKind seek(long t) {
      return ValueKind.NONE;
    }

    @Override
    public long atT() {
      throw new IllegalStateException("empty iterator");
    }

    @Override
    public double atF() {
      throw new IllegalStateException("empty iterator");
    }

    @Override
    public FloatHistogram atHistogram() {
      throw new IllegalStateException("empty iterator");
    }
  };
}
