package dev.vigil.tsdb.chunks;

/**
 * Constants of head chunk files ({@code <db>/chunks_head/000001}, ...), shared by writer and
 * loader; layout and rationale in {@code FORMAT.md}.
 */
public final class HeadChunkFormat {
  /** Prometheus's {@code MagicHeadChunks}, so tools recognise the file kind. */
  public static final int MAGIC = 0x0130BC91;
  public static final int VERSION_1 = 1;
  public static final int VERSION_CURRENT = VERSION_1;
  public static final int VERSION_MIN_READABLE = VERSION_1;
  /** magic(4) + version(1) + reserved(3). */
  public static final int HEADER_SIZE = 8;
  /** seriesRef(8) + minT(8) + maxT(8) + encoding(1), before the data length. */
  public static final int RECORD_FIXED = 25;
  /** Offset of minT inside a record. */
  public static final int MIN_T_OFFSET = 8;
  /** A file is preallocated to and never grows past this (128 MiB, as Prometheus). */
  public static final long DEFAULT_MAX_FILE_SIZE = 128L << 20;
  /** Records are buffered up to this many bytes before one write to the file. */
  static final int WRITE_BUFFER = 256 << 10;
  /** Refs with this bit set name a chunk kept on the heap because its file write failed. */
  static final long HEAP_FALLBACK_BIT = 1L << 62;

  private HeadChunkFormat() {}
}
