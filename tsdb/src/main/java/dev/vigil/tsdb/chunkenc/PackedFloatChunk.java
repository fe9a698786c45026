package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.Arrays;
import java.util.zip.Inflater;

/**
 * A read-only chunk of float samples in the packed encoding written at block time (encoding
 * {@code 0x20}, layout in {@code FORMAT.md}): timestamps as deviations from the chunk's dominant
 * interval, values as decimal mantissas at one scale (delta or delta-of-delta coded), values with
 * no exact decimal form kept raw, zero runs collapsed, the whole optionally DEFLATE-compressed.
 * Built by {@link PackedFloatEncoder}, read by {@link PackedFloatIterator}; lossless for every
 * float bit pattern.
 */
public final class PackedFloatChunk implements Chunk {
  static final int CODEC_NONE = 0;
  static final int CODEC_DEFLATE = 1;
  /** num_samples (2 bytes) + codec (1 byte). */
  static final int HEADER_BYTES = 3;

  private final byte[] data;
  private final String resource;
  private final int numSamples;

  PackedFloatChunk(byte[] data, String resource) {
    this.data = data;
    this.resource = resource;
    this.numSamples = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
  }

  /** A chunk over {@code data} (as {@link #bytes()} returned it); the array is owned now. */
  public static PackedFloatChunk wrap(byte[] data, String resource) {
    if (data.length < HEADER_BYTES + 1) {
      throw new CorruptDataException(resource, 0, "packed float chunk of " + data.length
          + " bytes, expected at least " + (HEADER_BYTES + 1));
    }
    int codec = data[2] & 0xFF;
    if (codec != CODEC_NONE && codec != CODEC_DEFLATE) {
      throw new CorruptDataException(resource, 2, "packed float chunk codec " + codec
          + ", known: 0 (none), 1 (deflate)");
    }
    PackedFloatChunk c = new PackedFloatChunk(data, resource);
    if (c.numSamples == 0) {
      throw new CorruptDataException(resource, 0, "packed float chunk with 0 samples");
    }
    return c;
  }

  @Override
  public Encoding encoding() {
    return Encoding.PACKED_FLOAT_V1;
  }

  @Override
  public int numSamples() {
    return numSamples;
  }

  @Override
  public int byteLength() {
    return data.length;
  }

  @Override
  public byte[] bytes() {
    return Arrays.copyOf(data, data.length);
  }

  /** Whether the body is DEFLATE-compressed (else stored as is). */
  public boolean deflated() {
    return data[2] == CODEC_DEFLATE;
  }

  /**
   * An iterator, with a private inflater that is ended before returning (the body is inflated
   * at once). Readers of many chunks should pass an {@link InflaterPool}.
   */
  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    PackedFloatIterator it = reuse instanceof PackedFloatIterator p ? p : new PackedFloatIterator();
    if (!deflated()) {
      it.reset(data, numSamples, null, resource);
      return it;
    }
    Inflater inf = new Inflater(true);
    try {
      it.reset(data, numSamples, inf, resource);
    } finally {
      inf.end();
    }
    return it;
  }

  /** An iterator that inflates with an inflater borrowed from {@code pool} for the duration. */
  public SampleIterator iterator(SampleIterator reuse, InflaterPool pool) {
    PackedFloatIterator it = reuse instanceof PackedFloatIterator p ? p : new PackedFloatIterator();
    if (!deflated()) {
      it.reset(data, numSamples, null, resource);
      return it;
    }
    Inflater inf = pool.borrow();
    try {
      it.reset(data, numSamples, inf, resource);
    } finally {
      pool.release(inf);
    }
    return it;
  }
}
