package dev.vigil.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 64-bit window the bit-stream decoders read from: one unaligned big-endian load at a bit
 * position, so that a control field and the value after it mostly come from one load instead of
 * bit by bit. Bytes at or past {@code limit} read as zeros (a decoder checks its position
 * against the end itself): an array longer than the chunk, or a head chunk's buffer that its
 * appender writes past the length a reader captured, is never read there.
 */
final class BitWindow {
  /** Bits of a {@link #at} window that are always valid (the rest are the shift's zeros). */
  static final int VALID_BITS = 57;

  private static final VarHandle BE64 =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private BitWindow() {}

  /**
   * The 64 bits of {@code data[0, limit)} from bit {@code bitPos} on; see {@link #VALID_BITS}.
   * Callers keep {@code bitPos} within a chunk's bits plus one sample's or group's worth.
   */
  static long at(byte[] data, int limit, long bitPos) {
    int idx = (int) (bitPos >>> 3);
    long w;
    if (idx + 8 <= limit) {
      w = (long) BE64.get(data, idx);
    } else {
      w = 0;
      for (int i = idx; i < idx + 8; i++) {
        w = w << 8 | (i < limit ? data[i] & 0xFF : 0);
      }
    }
    return w << (bitPos & 7);
  }
}
