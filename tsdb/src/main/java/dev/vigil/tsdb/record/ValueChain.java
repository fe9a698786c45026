package dev.vigil.tsdb.record;

import java.util.Arrays;

/**
 * The previous float value of each series in the current value chain: what a float-samples v2
 * record codes its values against (see {@code FORMAT.md}). Writer and reader each keep one; they
 * agree as long as the reader has decoded every record of the segment before the one it
 * decodes. Indexed by ref, so it costs 16 bytes per ref up to the highest one seen; refs outside
 * {@code [1, MAX_REF]} are never chained (their values are written whole).
 *
 * <p>{@link #restart} forgets every value in O(1) (a generation counter), so a writer can restart
 * the chain per segment, per checkpoint series or after a failed write at no cost.
 */
final class ValueChain {
  /** Refs above this are coded without a chain (the arrays would not fit). */
  static final long MAX_REF = 1 << 28;

  // Per ref: [2·ref] the value's bits, [2·ref + 1] the generation that wrote it (one cache
  // line for both).
  private long[] slots = new long[2048];
  private long current = 1;

  static boolean chainable(long ref) {
    return ref > 0 && ref <= MAX_REF;
  }

  /** Forgets every value: the next value of every series is written whole. */
  void restart() {
    current++;
  }

  /** Whether {@code ref} (chainable) has a value in this chain. */
  boolean has(long ref) {
    int i = (int) ref << 1;
    return i + 1 < slots.length && slots[i + 1] == current;
  }

  /** The raw bits of {@code ref}'s previous value; only after {@link #has} returned true. */
  long bits(long ref) {
    return slots[(int) ref << 1];
  }

  void put(long ref, long valueBits) {
    int i = (int) ref << 1;
    if (i + 1 >= slots.length) {
      slots = Arrays.copyOf(slots, Math.max(i + 2, (int) Math.min(2 * (MAX_REF + 1),
          slots.length * 3L / 2)));
    }
    slots[i] = valueBits;
    slots[i + 1] = current;
  }
}
