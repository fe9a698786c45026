package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.HistogramCodec;

/** Decodes a {@link HistogramChunk}; allocates one {@link FloatHistogram} per sample. */
public final class HistogramIterator extends HistogramSampleIterator {
  private final ByteSource in = new ByteSource("", new byte[0]);

  HistogramIterator() {}

  void reset(byte[] buf, int len, int numSamples, String resource) {
    in.reset(resource, buf, 2, len, 0);
    start(numSamples);
    this.h = null;
  }

  @Override
  public ValueKind next() {
    if (exhausted()) {
      return ValueKind.NONE;
    }
    long d = in.getVarint();
    t = read == 0 ? d : t + d;
    h = HistogramCodec.decode(in);
    read++;
    return ValueKind.HISTOGRAM;
  }
}
