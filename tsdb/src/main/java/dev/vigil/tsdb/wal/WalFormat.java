package dev.vigil.tsdb.wal;

import java.util.zip.CRC32C;

/** Constants of the WAL segment format, shared by writer and reader; see {@code FORMAT.md}. */
public final class WalFormat {
  /** "VWAL". */
  public static final int MAGIC = 0x5657414C;
  public static final int VERSION_1 = 1;
  public static final int VERSION_CURRENT = VERSION_1;
  public static final int VERSION_MIN_READABLE = VERSION_1;
  /** magic(4) + version(1) + reserved(3). */
  public static final int SEGMENT_HEADER_SIZE = 8;
  /** length(4) + crc32c(4). */
  public static final int RECORD_HEADER_SIZE = 8;
  /** Where repair moves damaged bytes and unreadable segments (never deleted). */
  public static final String QUARANTINE_DIR = "quarantine";

  private WalFormat() {}

  /**
   * The checksum a record stores after its length: CRC32C of the 4 length bytes
   * ({@code lengthBytes[at, at + 4)}) and of the payload ({@code payload[off, off + len)});
   * {@code crc} is caller-owned scratch, so framing and reading allocate nothing.
   */
  public static int recordCrc(CRC32C crc, byte[] lengthBytes, int at, byte[] payload, int off,
      int len) {
    crc.reset();
    crc.update(lengthBytes, at, 4);
    crc.update(payload, off, len);
    return (int) crc.getValue();
  }

  /** Segment file name: the index as 8 decimal digits, as Prometheus names its segments. */
  public static String segmentName(int index) {
    String s = Integer.toString(index);
    return "0".repeat(Math.max(0, 8 - s.length())) + s;
  }

  /** The index of a segment file name, or -1 when the name is not a segment's. */
  public static int segmentIndex(String name) {
    if (name.length() != 8) {
      return -1;
    }
    for (int i = 0; i < 8; i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(name);
  }
}
