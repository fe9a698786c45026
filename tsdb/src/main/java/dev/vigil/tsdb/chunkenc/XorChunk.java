package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.encoding.CorruptDataException;

/**
 * Gorilla XOR float chunk with delta-of-delta timestamps, byte-compatible with Prometheus's
 * {@code XORChunk} (layout in {@code FORMAT.md}; the encoder is {@link XorAppender}). Created
 * empty it accepts {@link #append} from one thread; {@link #wrap} gives a read-only chunk over
 * stored bytes.
 */
public final class XorChunk extends XorAppender implements Chunk {
  static final String RESOURCE = "xor chunk";

  private final boolean writable;
  private final String resource;

  public XorChunk() {
    super(true);
    writable = true;
    resource = RESOURCE;
  }

  private XorChunk(byte[] data, String resource) {
    super(data);
    writable = false;
    this.resource = resource;
  }

  /** A read-only chunk over {@code data}; the array is owned by the chunk from now on. */
  public static XorChunk wrap(byte[] data, String resource) {
    if (data.length < 2) {
      throw new CorruptDataException(resource, 0, "xor chunk of " + data.length
          + " bytes, expected at least the 2-byte sample count");
    }
    return new XorChunk(data, resource);
  }

  @Override
  public Encoding encoding() {
    return Encoding.XOR;
  }

  @Override
  public int numSamples() {
    return xorSamples();
  }

  @Override
  public int byteLength() {
    return writtenBytes();
  }

  @Override
  public byte[] bytes() {
    return xorBytes();
  }

  /** Drops the unused tail of the buffer; the chunk must not be appended to afterwards. */
  @Override
  public void trimToSize() {
    trimBuffer();
  }

  /** Whether another sample fits. */
  public boolean isFull() {
    return xorSamples() >= MAX_SAMPLES;
  }

  /**
   * Appends a sample; the caller guarantees {@code t} is greater than the last timestamp (the
   * head checks order before it gets here).
   */
  public void append(long ts, double v) {
    if (!writable) {
      throw new IllegalStateException("append to a read-only chunk");
    }
    if (xorSamples() >= MAX_SAMPLES) {
      throw new IllegalStateException("chunk full at " + xorSamples() + " samples");
    }
    appendXor(ts, v);
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    return xorIterator(reuse, resource);
  }
}
