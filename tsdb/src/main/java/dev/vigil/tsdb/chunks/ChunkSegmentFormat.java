package dev.vigil.tsdb.chunks;

/** Constants of chunk segment files, shared by writer and reader; see {@code FORMAT.md}. */
public final class ChunkSegmentFormat {
  /** Prometheus's {@code MagicChunks}: the same bytes, so tools recognise the file kind. */
  public static final int MAGIC = 0x85BD40DD;
  public static final int VERSION_1 = 1;
  public static final int VERSION_CURRENT = VERSION_1;
  public static final int VERSION_MIN_READABLE = VERSION_1;
  /** magic(4) + version(1) + reserved(3). */
  public static final int HEADER_SIZE = 8;
  /** A segment is closed before it grows past this (512 MiB, as Prometheus). */
  public static final long DEFAULT_MAX_SEGMENT_SIZE = 512L << 20;

  private ChunkSegmentFormat() {}

  /** File name of segment {@code index} (1-based, 6 digits, as Prometheus). */
  public static String segmentName(int index) {
    String s = Integer.toString(index);
    return "0".repeat(Math.max(0, 6 - s.length())) + s;
  }

  /** A chunk reference: segment index in the high 32 bits, byte offset in the low 32. */
  public static long ref(int segment, long offset) {
    return ((long) segment << 32) | offset;
  }

  public static int refSegment(long ref) {
    return (int) (ref >>> 32);
  }

  public static long refOffset(long ref) {
    return ref & 0xFFFFFFFFL;
  }
}
