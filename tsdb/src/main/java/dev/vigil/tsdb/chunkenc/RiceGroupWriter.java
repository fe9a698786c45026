package dev.vigil.tsdb.chunkenc;

/**
 * Writes columns of signed integers in groups of {@link #GROUP} as the stream of a {@link
 * RiceFloatChunk} ({@code FORMAT.md}, "Packed float chunk v2"): a group of zeros is one bit,
 * any other group a Rice parameter {@code k} chosen for it and then each zig-zag value as a
 * unary quotient and {@code k} low bits, with an escape for outliers. Residuals of
 * timestamps and decimal mantissas are roughly geometric, for which a Rice code is within a few
 * percent of the entropy; unlike a DEFLATE stream it can be entered at any group.
 */
final class RiceGroupWriter extends BitWriter {
  static final int GROUP = 32;
  /** Bits of the Rice parameter in a group header. */
  static final int K_BITS = 6;
  /** A quotient of this many ones (no terminating zero) announces the value in 64 bits. */
  static final int ESCAPE = 24;

  RiceGroupWriter() {
    super(1024);
  }

  /** Writes {@code v[from, from + count)} as one group ({@code count <= GROUP}). */
  void writeGroup(long[] v, int from, int count) {
    boolean zero = true;
    int bitSum = 0;
    for (int i = from; i < from + count; i++) {
      long u = zigzag(v[i]);
      zero &= u == 0;
      bitSum += 64 - Long.numberOfLeadingZeros(u);
    }
    if (zero) {
      writeBits(0, 1);
      return;
    }
    int k = bestK(v, from, count, bitSum / count);
    writeBits(1, 1);
    writeBits(k, K_BITS);
    for (int i = from; i < from + count; i++) {
      long u = zigzag(v[i]);
      long q = u >>> k;
      if (q < ESCAPE) {
        // q ones and a zero, then the k low bits: one write when it fits in 64 bits.
        int unary = (int) q + 1;
        long ones = ((1L << q) - 1) << 1;
        if (unary + k <= 64) {
          writeBits(k == 0 ? ones : (ones << k) | (u & ((1L << k) - 1)), unary + k);
        } else {
          writeBits(ones, unary);
          writeBits(u, k);
        }
      } else {
        writeBits((1L << ESCAPE) - 1, ESCAPE);
        writeBits(u, 64);
      }
    }
  }

  /**
   * The cheapest {@code k} near the values' mean bit length (the exact cost of each candidate
   * is counted; the optimum of a geometric source lies within a bit or two of the mean length).
   */
  private static int bestK(long[] v, int from, int count, int meanBits) {
    int best = 0;
    long bestCost = Long.MAX_VALUE;
    for (int k = Math.max(0, meanBits - 2); k <= Math.min(63, meanBits + 1); k++) {
      long cost = 0;
      for (int i = from; i < from + count; i++) {
        long q = zigzag(v[i]) >>> k;
        cost += q < ESCAPE ? q + 1 + k : ESCAPE + 64;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = k;
      }
    }
    return best;
  }

  static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }
}
