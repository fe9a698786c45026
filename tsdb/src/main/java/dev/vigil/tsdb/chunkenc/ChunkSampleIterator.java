package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;

/**
 * What the chunk decoders share: the position (samples read, the current timestamp, the end)
 * and a forward-only {@link #seek}, which never moves back, as Prometheus's chunk iterators.
 */
abstract sealed class ChunkSampleIterator implements SampleIterator
    permits XorIterator, PackedFloatIterator, RiceFloatIterator, HistogramSampleIterator {
  private final ValueKind kind;
  /** Samples in the chunk being read. */
  int numSamples;
  /** Samples decoded so far; the current one is {@code read - 1}. */
  int read;
  /** Timestamp of the current sample (valid once {@code read > 0}). */
  long t;
  /** Set once {@link #next} ran past the last sample. */
  boolean done;

  ChunkSampleIterator(ValueKind kind) {
    this.kind = kind;
  }

  /** Positions this iterator before the first of {@code numSamples} samples. */
  final void start(int numSamples) {
    this.numSamples = numSamples;
    this.read = 0;
    this.done = false;
  }

  /** Whether every sample was read; marks the iterator done when so. */
  final boolean exhausted() {
    if (done || read >= numSamples) {
      done = true;
      return true;
    }
    return false;
  }

  @Override
  public final ValueKind seek(long ts) {
    if (done) {
      return ValueKind.NONE;
    }
    if (read > 0 && t >= ts) {
      return kind;
    }
    jumpTowards(ts);
    while (next() == kind) {
      if (t >= ts) {
        return kind;
      }
    }
    return ValueKind.NONE;
  }

  /**
   * Lets an encoding with a skip index move forward over samples that are all before {@code ts}
   * (leaving {@code t} below it, so {@link #seek} still decodes the next sample); the default
   * decodes sample by sample.
   */
  void jumpTowards(long ts) {}

  @Override
  public final long atT() {
    return t;
  }
}
