package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.HistogramCodec;

/**
 * Float-histogram chunk, deliberately simple (v1): per sample a timestamp varint (absolute for
 * the first, delta after) and the {@link HistogramCodec} form. No cross-sample compression yet;
 * a Prometheus-style histogram chunk would be a new {@link Encoding}. Single writer, like {@link
 * XorChunk}; the byte buffer only grows by appending, so iterators over a prefix stay valid.
 */
public final class HistogramChunk implements Chunk {
  private final ByteSink sink;
  private final byte[] readOnly; // non-null for wrapped chunks
  private final String resource;
  private int numSamples;
  private long lastT;

  public HistogramChunk() {
    sink = new ByteSink(256);
    sink.putBE16(0);
    readOnly = null;
    resource = "histogram chunk";
  }

  private HistogramChunk(byte[] data, String resource) {
    sink = null;
    readOnly = data;
    this.resource = resource;
    numSamples = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
  }

  public static HistogramChunk wrap(byte[] data, String resource) {
    if (data.length < 2) {
      throw new CorruptDataException(resource, 0, "histogram chunk of " + data.length
          + " bytes, expected at least the 2-byte sample count");
    }
    return new HistogramChunk(data, resource);
  }

  @Override
  public Encoding encoding() {
    return Encoding.FLOAT_HISTOGRAM_V1;
  }

  @Override
  public int numSamples() {
    return numSamples;
  }

  @Override
  public int byteLength() {
    return readOnly != null ? readOnly.length : sink.length();
  }

  @Override
  public byte[] bytes() {
    return readOnly != null ? readOnly.clone() : sink.toByteArray();
  }

  public boolean isFull() {
    return numSamples >= MAX_SAMPLES;
  }

  /** Appends a sample; the caller guarantees timestamps increase. */
  public void append(long t, FloatHistogram h) {
    if (sink == null) {
      throw new IllegalStateException("append to a read-only chunk");
    }
    if (numSamples >= MAX_SAMPLES) {
      throw new IllegalStateException("chunk full at " + numSamples + " samples");
    }
    sink.putVarint(numSamples == 0 ? t : t - lastT);
    HistogramCodec.encode(sink, h);
    lastT = t;
    numSamples++;
    sink.array()[0] = (byte) (numSamples >>> 8);
    sink.array()[1] = (byte) numSamples;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    HistogramIterator it = reuse instanceof HistogramIterator h ? h : new HistogramIterator();
    if (readOnly != null) {
      it.reset(readOnly, readOnly.length, numSamples, resource);
    } else {
      it.reset(sink.array(), sink.length(), numSamples, resource);
    }
    return it;
  }

}
