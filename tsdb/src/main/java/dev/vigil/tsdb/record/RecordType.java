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
  /** Prometheus's exemplars record (same code and layout); {@link ExemplarRecordCodec}. */
  public static final int EXEMPLARS_V1 = 4;
  /** Prometheus's metadata record (same code and layout); {@link MetadataRecordCodec}. */
  public static final int METADATA_V1 = 6;
  public static final int HISTOGRAM_SAMPLES_V1 = 0x10;
  /**
   * Float samples with values coded against each series' previous value (replaces type 2 in the
   * TSDB's writers). Vigil's own codes start at 0x10, clear of Prometheus's 1-10.
   */
  public static final int FLOAT_SAMPLES_V2 = 0x11;
  /**
   * Histogram samples with whole counts as varints ({@code HistogramCodec.encodeCompact};
   * replaces type 0x10 in the TSDB's writers).
   */
  public static final int HISTOGRAM_SAMPLES_V2 = 0x12;
  /**
   * Series with each label name and value written once per record and the series as numbers
   * into that table (replaces type 1 in the TSDB's commits and checkpoints, which write one per
   * batch of series; the remote-write sender's WAL still writes type 1).
   */
  public static final int SERIES_V2 = 0x13;
  /**
   * One series' in-order float samples with their time range in a header (checkpoints write
   * the samples that closed chunks in the head chunk files hold as these): replay skips a run
   * those chunks cover without decoding it. Its values are outside the value chains of type 17.
   */
  public static final int FLOAT_RUN = 0x14;

  private RecordType() {}
}
