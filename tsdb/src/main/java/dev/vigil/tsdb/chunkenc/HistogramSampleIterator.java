package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.ValueKind;

/** What the histogram chunk decoders share: the current histogram and its float view. */
abstract sealed class HistogramSampleIterator extends ChunkSampleIterator
    permits HistogramIterator, XorHistogramIterator {
  /** The current sample's histogram (valid once a sample was read). */
  FloatHistogram h;

  HistogramSampleIterator() {
    super(ValueKind.HISTOGRAM);
  }

  @Override
  public final double atF() {
    // Prometheus returns the sum for a float view of a histogram; callers should check kind.
    return h.sum();
  }

  @Override
  public final FloatHistogram atHistogram() {
    return h;
  }
}
