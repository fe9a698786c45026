package dev.vigil.tsdb.index;

/** Constants of the index file, shared by writer and reader; see {@code FORMAT.md}. */
public final class IndexFormat {
  /** "VIDX": our own layout, so not Prometheus's 0xBAAAD700. */
  public static final int MAGIC = 0x56494458;
  public static final int VERSION_1 = 1;
  /** Adds each chunk's largest gap between consecutive samples to its chunk meta. */
  public static final int VERSION_2 = 2;
  public static final int VERSION_CURRENT = VERSION_2;
  public static final int VERSION_MIN_READABLE = VERSION_1;
  public static final int HEADER_SIZE = 8;
  /** Sections in file order; their start offsets are listed in the TOC in this order. */
  public static final int SYMBOLS = 0;
  public static final int SERIES = 1;
  public static final int SERIES_OFFSETS = 2;
  public static final int POSTINGS = 3;
  public static final int POSTINGS_TABLE = 4;
  public static final int SECTIONS = 5;
  public static final String[] SECTION_NAMES = {
    "symbols", "series", "series offsets", "postings", "postings table"
  };
  /** TOC: 8-byte offset per section + CRC32C; then the 4-byte whole-file CRC32C. */
  public static final int TOC_SIZE = SECTIONS * 8 + 4;
  public static final int FOOTER_SIZE = TOC_SIZE + 4;

  private IndexFormat() {}
}
