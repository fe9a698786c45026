package dev.vigil.tsdb.chunkenc;

import dev.vigil.tsdb.encoding.ByteSink;

/**
 * Writes a column of signed integers as zig-zag varints with zero runs collapsed: a non-zero
 * value {@code v} is {@code zigzag(v) <uvarint>} (never 0), a run of {@code r >= 1} zeros is
 * {@code 0x00 | r - 1 <uvarint>}. Regular timestamps and constant values thus cost two bytes per
 * chunk. Read back by {@link ZeroRunCursor}.
 */
final class ZeroRunColumn {
  private final ByteSink out;
  private long zeros;

  ZeroRunColumn(ByteSink out) {
    this.out = out;
  }

  void reset() {
    out.reset();
    zeros = 0;
  }

  void add(long v) {
    if (v == 0) {
      zeros++;
      return;
    }
    flushZeros();
    out.putUvarint((v << 1) ^ (v >> 63));
  }

  /** Writes a pending zero run; call once after the last {@link #add}. */
  void finish() {
    flushZeros();
  }

  ByteSink bytes() {
    return out;
  }

  private void flushZeros() {
    if (zeros > 0) {
      out.putByte(0);
      out.putUvarint(zeros - 1);
      zeros = 0;
    }
  }
}
