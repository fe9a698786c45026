package dev.vigil.tsdb.head;

/**
 * A head snapshot does not fit what is on disk next to it (a head chunk file it relies on is
 * damaged or gone, or it names a series twice): the head it was restoring into must be thrown
 * away and the WAL replayed instead.
 */
public final class SnapshotMismatchException extends RuntimeException {
  public SnapshotMismatchException(String message) {
    super(message);
  }
}
