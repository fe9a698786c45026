package dev.vigil.collector.remote;

/**
 * A place in the sender's WAL: the byte offset of a record in a segment. Positions compare by
 * segment, then offset. Offset 0 means "the start of the segment" (before its header).
 */
record WalPosition(int segment, long offset) implements Comparable<WalPosition> {
  WalPosition {
    if (segment < 0 || offset < 0) {
      throw new IllegalArgumentException("WAL position " + segment + ":" + offset + " is negative");
    }
  }

  @Override
  public int compareTo(WalPosition o) {
    int c = Integer.compare(segment, o.segment);
    return c != 0 ? c : Long.compare(offset, o.offset);
  }

  @Override
  public String toString() {
    return segment + ":" + offset;
  }
}
