package dev.vigil.tsdb.chunkenc;

/**
 * The encoding byte stored before every chunk outside memory. It doubles as the chunk format
 * version: a changed layout gets a new code, old codes stay readable.
 */
public enum Encoding {
  /** Gorilla XOR floats; same code and bytes as Prometheus {@code EncXOR}. */
  XOR(1),
  /** Vigil float histograms, v1: varint timestamps + {@code HistogramCodec} per sample. */
  FLOAT_HISTOGRAM_V1(0x10),
  /**
   * Vigil float histograms, v2: delta-of-delta timestamps, each value XOR-coded against the
   * previous sample's, the layout only when it changes. See {@link XorHistogramChunk}.
   */
  FLOAT_HISTOGRAM_V2(0x11),
  /**
   * Vigil float histograms, v3 (written since v0.5): v2, and when a sample's counts and the
   * previous sample's are whole numbers, the counts coded as integer deltas of deltas. See
   * {@link XorHistogramChunk}.
   */
  FLOAT_HISTOGRAM_V3(0x12),
  /**
   * Vigil packed floats, v1 (blocks only): dominant-interval timestamps and decimal mantissas,
   * delta coded, zero runs, optionally DEFLATE-compressed. See {@link PackedFloatChunk}.
   */
  PACKED_FLOAT_V1(0x20),
  /**
   * Vigil packed floats, v2 (blocks only, written since v0.4): v1's columns Rice-coded in groups
   * of 32, with a skip index per segment so a seek decodes one segment. See {@link
   * RiceFloatChunk}.
   */
  PACKED_FLOAT_V2(0x21);

  private final int code;

  Encoding(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /**
   * Whether chunks of this encoding decode from the front of a longer array, so a reader can
   * copy them into one buffer it reuses ({@link Chunk#wrap(Encoding, byte[], int, String)}).
   * Only the block encoding that queries read most (packed v2) does; the others are read into
   * arrays of their exact size.
   */
  public boolean decodesFromLongerArray() {
    return this == PACKED_FLOAT_V2;
  }

  /** The encoding for a code, or null when unknown. */
  public static Encoding of(int code) {
    return switch (code) {
      case 1 -> XOR;
      case 0x10 -> FLOAT_HISTOGRAM_V1;
      case 0x11 -> FLOAT_HISTOGRAM_V2;
      case 0x12 -> FLOAT_HISTOGRAM_V3;
      case 0x20 -> PACKED_FLOAT_V1;
      case 0x21 -> PACKED_FLOAT_V2;
      default -> null;
    };
  }
}
