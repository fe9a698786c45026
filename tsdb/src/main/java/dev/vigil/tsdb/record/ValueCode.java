package dev.vigil.tsdb.record;

/**
 * The 4-bit code of each value in a float-samples v2 record, and the decimal scales the delta
 * codes use (layout in {@code FORMAT.md}). Shared by writer and reader so both compute a
 * delta's base {@code round(prev × 10^k)} with the same doubles.
 */
final class ValueCode {
  /** Same bits as the series' previous value; no payload. */
  static final int SAME = 0;
  /** XOR with the previous value's bits: {@code lz << 4 | tz} (zero bytes), then the middle bytes. */
  static final int XOR = 1;
  /** {@code DELTA + k} (k in 0..7): zig-zag varint of {@code round(v·10^k) − round(prev·10^k)}. */
  static final int DELTA = 2;
  static final int MAX_SCALE = 7;
  /** The 8 bytes of the value, big-endian. */
  static final int RAW = 10;
  /** An integral value as a zig-zag varint (no previous value needed). */
  static final int INTEGER = 11;

  static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7};

  private ValueCode() {}

  /** Nothing: a call initialises the class (see {@link ChainedFloatsDecoder}). */
  static void init() {}

  /** The mantissa of {@code v} at scale {@code k}: {@code round(v·10^k)}. */
  static long mantissa(double v, int k) {
    return Math.round(k == 0 ? v : v * POW10[k]); // v·1.0 is v: the same result, cheaper
  }

  /** The value a mantissa at scale {@code k} stands for. */
  static double value(long m, int k) {
    return k == 0 ? (double) m : (double) m / POW10[k];
  }

  /**
   * The bits of the value that the delta {@code d} at scale {@code k} codes against the
   * previous value's bits {@code prevBits}: the reader's side of {@code DELTA + k}.
   */
  static long deltaValueBits(long prevBits, int k, long d) {
    return Double.doubleToRawLongBits(value(mantissa(Double.longBitsToDouble(prevBits), k) + d, k));
  }

  /**
   * The smallest scale {@code k} at which {@code v} is exactly {@code m / 10^k} for an integer
   * {@code m} (bit for bit: -0.0, NaN and infinities never are), or -1.
   */
  static int scale(double v, long bits) {
    if (!(Math.abs(v) < 0x1p53)) {
      return -1; // NaN, infinities, and integers past 2^53 (their mantissa could not be exact)
    }
    if (exactAt(v, bits, 0)) {
      return 0;
    }
    // A value exact at some k ≤ 7 is (below 2^53 / 10^7) exact at 7 too: noise costs one more
    // try, not seven. Missing a scale only costs bytes: the writer checks what it picks.
    if (!exactAt(v, bits, MAX_SCALE)) {
      return -1;
    }
    for (int k = 1; k < MAX_SCALE; k++) {
      if (exactAt(v, bits, k)) {
        return k;
      }
    }
    return MAX_SCALE;
  }

  private static boolean exactAt(double v, long bits, int k) {
    return Double.doubleToRawLongBits(value(mantissa(v, k), k)) == bits;
  }

  static int uvarintSize(long v) {
    return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
  }

  static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }
}
