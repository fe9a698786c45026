package dev.vigil.tsdb.record;

import java.util.Arrays;

/**
 * The previous float value of each series in the current value chain: what a float-samples v2
 * record codes its values against (see {@code FORMAT.md}). Readers keep one; so does a writer
 * that does not keep the chain itself (see {@link RecordEncoder#floatsV2StartCallerChained}).
 * Writer and reader agree as long as the reader has decoded every record of the segment before
 * the one it decodes. Indexed by ref: 8 bytes per ref up to the highest one seen for the values,
 * plus one bit per ref saying which are set (a small array that stays in cache, so a lookup
 * touches the values' line only); refs outside {@code [1, MAX_REF]} are never chained (their
 * values are written whole).
 *
 * <p>{@link #restart} forgets every value by clearing the bits: O(highest ref / 64), which
 * readers pay once per segment, writers per segment or failed write.
 */
final class ValueChain {
  /** Refs above this are coded without a chain (the arrays would not fit). */
  static final long MAX_REF = 1 << 28;

  private long[] values = new long[2048];
  private long[] set = new long[2048 / 64];

  static boolean chainable(long ref) {
    return ref > 0 && ref <= MAX_REF;
  }

  /** Forgets every value: the next value of every series is written whole. */
  void restart() {
    Arrays.fill(set, 0);
  }

  /** Whether {@code ref} (chainable) has a value in this chain. */
  boolean has(long ref) {
    int i = (int) ref;
    return i < values.length && (set[i >>> 6] & (1L << i)) != 0;
  }

  /** The raw bits of {@code ref}'s previous value; only after {@link #has} returned true. */
  long bits(long ref) {
    return values[(int) ref];
  }

  /**
   * The values by ref, for a reader's loop over many (valid until the next {@link #put}, which
   * may grow it); a value is there only where {@link #setBits} has its bit.
   */
  long[] values() {
    return values;
  }

  /** One bit per ref of {@link #values}: set where the ref has a value. */
  long[] setBits() {
    return set;
  }

  /** Forgets {@code ref}'s value (if it has one): its next value is written whole. */
  void forget(long ref) {
    if (chainable(ref) && ref < values.length) {
      int i = (int) ref;
      set[i >>> 6] &= ~(1L << i);
    }
  }

  void put(long ref, long valueBits) {
    int i = (int) ref;
    if (i >= values.length) {
      int n = (int) Math.min(MAX_REF + 64, Math.max(i + 1L, values.length * 3L / 2));
      n = (n + 63) & ~63;
      values = Arrays.copyOf(values, n);
      set = Arrays.copyOf(set, n >>> 6);
    }
    values[i] = valueBits;
    set[i >>> 6] |= 1L << i;
  }
}
