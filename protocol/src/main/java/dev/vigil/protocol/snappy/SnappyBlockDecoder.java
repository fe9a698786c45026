package dev.vigil.protocol.snappy;

import java.io.IOException;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyError;

/**
 * Decodes snappy block-compressed bodies into a buffer owned by this decoder and reused across
 * calls, so a steady stream of requests allocates nothing here once the buffer has grown.
 *
 * <p>Not thread-safe: one decoder per thread. The bytes returned by {@link #buffer()} stay valid
 * until the next {@link #decode} call.
 */
public final class SnappyBlockDecoder {
  private final int maxDecodedBytes;
  private byte[] out = new byte[64 * 1024];
  private int length;

  /** @param maxDecodedBytes bodies that claim to inflate beyond this are refused unread */
  public SnappyBlockDecoder(int maxDecodedBytes) {
    if (maxDecodedBytes <= 0) {
      throw new IllegalArgumentException("maxDecodedBytes must be positive: " + maxDecodedBytes);
    }
    this.maxDecodedBytes = maxDecodedBytes;
  }

  /**
   * Decompresses {@code src[off, off+len)}; the result is {@code buffer()[0, length())}.
   *
   * @throws SnappyFormatException when the block is truncated, corrupt or too large once decoded
   */
  public void decode(byte[] src, int off, int len) throws SnappyFormatException {
    int n = decodedLength(src, off, len);
    if (n > maxDecodedBytes) {
      throw new SnappyFormatException("snappy block decodes to " + n
          + " bytes, more than the limit of " + maxDecodedBytes + " bytes");
    }
    if (out.length < n) {
      out = new byte[Math.max(n, Math.min(maxDecodedBytes, out.length * 2))];
    }
    int got;
    try {
      got = Snappy.uncompress(src, off, len, out, 0);
    } catch (IOException | SnappyError e) {
      // snappy-java reports corrupt input through both; neither says more than "corrupt".
      throw new SnappyFormatException("corrupt snappy block (" + len + " bytes): " + e.getMessage());
    }
    if (got != n) {
      throw new SnappyFormatException(
          "corrupt snappy block: header says " + n + " bytes, decoded " + got);
    }
    length = n;
  }

  /** The decoded bytes of the last successful {@link #decode}, from index 0. */
  public byte[] buffer() {
    return out;
  }

  /** How many bytes of {@link #buffer()} the last {@link #decode} produced. */
  public int length() {
    return length;
  }

  /**
   * Reads the uvarint preamble (the decoded length) ourselves: it lets us refuse oversized or
   * garbage bodies before native code or a large allocation sees them.
   */
  static int decodedLength(byte[] src, int off, int len) throws SnappyFormatException {
    long result = 0;
    int end = off + len;
    for (int shift = 0, i = off; shift < 35; shift += 7, i++) {
      if (i >= end) {
        throw new SnappyFormatException(len == 0 ? "empty body: expected a snappy block"
            : "truncated snappy block: the length preamble is incomplete");
      }
      byte b = src[i];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        if (result > Integer.MAX_VALUE) {
          break;
        }
        return (int) result;
      }
    }
    throw new SnappyFormatException("corrupt snappy block: the length preamble is out of range");
  }
}
