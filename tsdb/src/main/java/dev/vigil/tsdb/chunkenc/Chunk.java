package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.storage.SampleIterator;
import java.util.Arrays;

/**
 * A run of compressed samples of one series, in timestamp order. A chunk created empty is
 * appended to by one thread; {@link #iterator} may be called concurrently by readers as long as
 * the caller publishes the chunk to them safely (the head does it under the series lock): the
 * iterator captures the sample count and buffer at creation and never reads beyond them.
 */
public sealed interface Chunk
    permits XorChunk, HistogramChunk, XorHistogramChunk, PackedFloatChunk, RiceFloatChunk {
  /** Most samples a chunk can hold: the count is stored in 2 bytes. */
  int MAX_SAMPLES = 0xFFFF;

  Encoding encoding();

  int numSamples();

  /** Length in bytes of {@link #bytes()}. */
  int byteLength();

  /** A copy of the encoded data: 2-byte sample count then the sample stream. */
  byte[] bytes();

  /**
   * An iterator over the samples present now, positioned before the first. Reuses {@code reuse}
   * when it is an iterator of the same encoding.
   */
  SampleIterator iterator(SampleIterator reuse);

  /**
   * Called when the chunk is closed (no more appends): releases buffer slack. Readers created
   * before keep seeing their prefix. Call under the same lock as appends.
   */
  default void trimToSize() {}

  /**
   * Decodes {@code data[0, length)}: the array itself when the encoding {@link
   * Encoding#decodesFromLongerArray decodes from a longer array} (the chunk is then valid while
   * those bytes stay), else a copy of that range when the array is longer.
   */
  static Chunk wrap(Encoding encoding, byte[] data, int length, String resource) {
    if (encoding.decodesFromLongerArray()) {
      return switch (encoding) {
        case PACKED_FLOAT_V2 -> RiceFloatChunk.wrap(data, length, resource);
        default -> throw new IllegalStateException(encoding + " claims to decode from a longer"
            + " array but has no decoder that takes a length");
      };
    }
    return wrap(encoding, length == data.length ? data : Arrays.copyOf(data, length), resource);
  }

  /** Decodes {@code data} (as {@link #bytes()} returned it) into a read-only chunk. */
  static Chunk wrap(Encoding encoding, byte[] data, String resource) {
    return switch (encoding) {
      case XOR -> XorChunk.wrap(data, resource);
      case FLOAT_HISTOGRAM_V1 -> HistogramChunk.wrap(data, resource);
      case FLOAT_HISTOGRAM_V2 -> XorHistogramChunk.wrapV2(data, resource);
      case FLOAT_HISTOGRAM_V3 -> XorHistogramChunk.wrap(data, resource);
      case PACKED_FLOAT_V1 -> PackedFloatChunk.wrap(data, resource);
      case PACKED_FLOAT_V2 -> RiceFloatChunk.wrap(data, resource);
    };
  }
}
