package dev.vigil.tsdb.encoding;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli) helpers. Every checksum in Vigil's formats is CRC32C stored as a 4-byte
 * big-endian unsigned integer; the JDK's implementation uses the CPU's CRC instruction.
 */
public final class Crc32c {
  private Crc32c() {}

  /** CRC32C of {@code buf[off, off+len)} as an unsigned 32-bit value in an int. */
  public static int of(byte[] buf, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(buf, off, len);
    return (int) crc.getValue();
  }

  /** Computes with a caller-owned (reset here) instance, so hot loops allocate nothing. */
  public static int of(CRC32C reuse, byte[] buf, int off, int len) {
    reuse.reset();
    reuse.update(buf, off, len);
    return (int) reuse.getValue();
  }

  /**
   * CRC32C of {@code data[off, off+len)}: a heap or a memory-mapped segment (read in place, in
   * slices a {@code ByteBuffer} can address).
   */
  public static int of(MemorySegment data, long off, long len) {
    CRC32C crc = new CRC32C();
    for (long done = 0; done < len; ) {
      long n = Math.min(len - done, 1L << 30);
      crc.update(data.asSlice(off + done, n).asByteBuffer());
      done += n;
    }
    return (int) crc.getValue();
  }
}
