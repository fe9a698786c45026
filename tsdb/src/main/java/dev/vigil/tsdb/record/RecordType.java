package dev.vigil.tsdb.record;

/**
 * The first byte of every WAL record payload; a changed layout gets a new code (the code is the
 * version), old codes stay decodable. Codes 1 and 2 match Prometheus's record types, though
 * the series payload differs (see {@code FORMAT.md}).
 */
public final class RecordType {
  public static final int SERIES_V1 = 1;
  public static final int FLOAT_SAMPLES_V1 = 2;
  public static final int TOMBSTONES_V1 = 3;
  public static final int HISTOGRAM_SAMPLES_V1 = 0x10;

  private RecordType() {}
}
