package dev.vigil.tsdb.head;

/**
 * Where the head makes commits durable (the WAL, in a {@code Tsdb}). {@link #write} is called
 * under the head's commit lock, so calls are in commit order; {@link #awaitDurable} outside it,
 * so concurrent committers can share one fsync (group commit).
 */
public interface CommitLog {
  /**
   * Writes the batch; when this returns the bytes must survive a process crash (written to the
   * OS). Returns a token for {@link #awaitDurable}.
   *
   * @throws dev.vigil.model.storage.StorageException when the batch could not be written; the
   *     head then applies nothing
   */
  long write(CommitBatch batch);

  /**
   * Writes a deletion of {@code [minT, maxT]} from the given series, under the commit lock like
   * {@link #write}; returns a token for {@link #awaitDurable}.
   */
  long writeTombstones(long[] refs, int n, long minT, long maxT);

  /** Blocks until the write that returned {@code token} is as durable as the policy promises. */
  void awaitDurable(long token);

  /** No durability: a pure in-memory head. */
  CommitLog NONE = new CommitLog() {
    @Override
    public long write(CommitBatch batch) {
      return 0;
    }

    @Override
    public long writeTombstones(long[] refs, int n, long minT, long maxT) {
      return 0;
    }

    @Override
    public void awaitDurable(long token) {}
  };
}
