package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.Arrays;

/**
 * A read-only chunk of float samples in packed encoding v2 (encoding {@code 0x21}, layout in
 * {@code FORMAT.md}), written at block time: v1's timestamps (deviations from the dominant
 * interval) and values (decimal mantissas, delta or delta-of-delta coded, raw bits where no exact
 * decimal form exists), but Rice-coded in groups of 32 instead of DEFLATE-compressed, with a skip
 * index per segment of groups. A seek thus decodes one segment, not the whole chunk. Built by
 * {@link PackedFloatEncoder#encode}, read by {@link RiceFloatIterator}; lossless for every float
 * bit pattern.
 */
public final class RiceFloatChunk implements Chunk {
  /** Column flag: every timestamp slot is 0 (regular scrapes); the stream has no such groups. */
  static final int TS_ZERO = 1;
  /** Column flag: every value slot is 0 (constant or steady values). */
  static final int VALUES_ZERO = 2;

  private final byte[] data;
  /** The chunk is {@code data[0, length)}. */
  private final int length;
  private final String resource;
  private final int numSamples;

  RiceFloatChunk(byte[] data, int length, String resource) {
    this.data = data;
    this.length = length;
    this.resource = resource;
    this.numSamples = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
  }

  /** A chunk over {@code data} (as {@link #bytes()} returned it); the array is owned now. */
  public static RiceFloatChunk wrap(byte[] data, String resource) {
    return wrap(data, data.length, resource);
  }

  /**
   * A chunk over {@code data[0, length)}, the rest of the array ignored: a read buffer reused
   * from chunk to chunk. The chunk is valid while the caller leaves those bytes alone.
   */
  static RiceFloatChunk wrap(byte[] data, int length, String resource) {
    if (length < 3) {
      throw new CorruptDataException(resource, 0, "packed float v2 chunk of " + length
          + " bytes, expected at least 3");
    }
    RiceFloatChunk c = new RiceFloatChunk(data, length, resource);
    if (c.numSamples == 0) {
      throw new CorruptDataException(resource, 0, "packed float v2 chunk with 0 samples");
    }
    return c;
  }

  @Override
  public Encoding encoding() {
    return Encoding.PACKED_FLOAT_V2;
  }

  @Override
  public int numSamples() {
    return numSamples;
  }

  @Override
  public int byteLength() {
    return length;
  }

  @Override
  public byte[] bytes() {
    return Arrays.copyOf(data, length);
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    RiceFloatIterator it = reuse instanceof RiceFloatIterator r ? r : new RiceFloatIterator();
    it.reset(data, length, numSamples, resource);
    return it;
  }
}
