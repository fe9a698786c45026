package dev.vigil.tsdb.snapshot;

/**
 * Constants of the head snapshot file, shared by writer and reader; see {@code FORMAT.md}.
 * Records are framed as WAL records (length, CRC32C of length and payload, payload).
 */
public final class HeadSnapshotFormat {
  /** The snapshot in a database directory; written as {@link #TMP_NAME}, then renamed. */
  public static final String FILE_NAME = "head.snapshot";
  public static final String TMP_NAME = FILE_NAME + ".tmp";
  /** "VHSN". */
  public static final int MAGIC = 0x5648534E;
  public static final int VERSION_1 = 1;
  /** Open histogram chunks in the v2 (XOR) chunk encoding: open-chunk kind 3. */
  public static final int VERSION_2 = 2;
  /** Open histogram chunks in the v3 chunk encoding (integer counts): open-chunk kind 4. */
  public static final int VERSION_3 = 3;
  /** Strings as references to earlier ones ({@link StringSlots}). */
  public static final int VERSION_4 = 4;
  public static final int VERSION_CURRENT = VERSION_4;
  public static final int VERSION_MIN_READABLE = VERSION_1;
  /** magic(4) + version(1) + reserved(3). */
  public static final int HEADER_SIZE = 8;

  /** First record: the WAL it stands for and the head-wide state. */
  static final int HEAD = 1;
  /** One per series, in id order. */
  static final int SERIES = 2;
  /** Last record: the number of series records; a file without it is incomplete. */
  static final int END = 3;

  static final int OPEN_NONE = 0;
  static final int OPEN_FLOATS = 1;
  /** Written by version 1 only: a histogram chunk in the v1 encoding. */
  static final int OPEN_HISTOGRAM_V1 = 2;
  /** Written by version 2 only: a histogram chunk in the v2 encoding. */
  static final int OPEN_HISTOGRAM_V2 = 3;
  static final int OPEN_HISTOGRAM = 4;

  static final int SAMPLE_FLOAT = 0;
  static final int SAMPLE_HISTOGRAM = 1;

  /** Largest record the reader accepts: a series with a full open chunk is far smaller. */
  static final int MAX_RECORD = 64 << 20;

  private HeadSnapshotFormat() {}
}
