package dev.vigil.tsdb.chunks;

import dev.vigil.tsdb.chunkenc.Chunk;

/**
 * Where the head keeps its closed (full) chunks, so a series holds only a 64-bit reference per
 * closed chunk: in memory-mapped files ({@link MappedHeadChunks}, a database's
 * {@code chunks_head/}) or on the heap ({@link HeapHeadChunks}, a head without a directory).
 *
 * <p>Threads: {@link #write} and {@link #release} are called by the head's committer (one at a
 * time); {@link #pin}, {@link #minTime} and {@link #read} by any thread, for references the caller
 * obtained from a series under that series' lock.
 */
public sealed interface HeadChunks permits HeapHeadChunks, MappedHeadChunks {
  /** Stores a closed chunk of series {@code seriesId} spanning {@code [minT, maxT]}; its ref. */
  long write(int seriesId, long minT, long maxT, Chunk chunk);

  /** The chunk behind {@code ref} (its bytes copied to the heap where they live in a file). */
  Chunk read(long ref);

  /** The first timestamp of the chunk behind {@code ref}. */
  long minTime(long ref);

  /** The head no longer references {@code ref} (it is in a block now). */
  void release(long ref);

  /**
   * A view of the chunks behind {@code refs[0, n)} that stays readable after they are released
   * (a running query must not see a later chunk reuse their storage).
   */
  PinnedChunks pin(long[] refs, int n);

  /** Chunks captured by {@link #pin}, opened on demand. */
  interface PinnedChunks {
    Chunk chunk(int i);
  }
}
