package dev.vigil.tsdb;

import dev.vigil.tsdb.block.ChunkPolicy;
import dev.vigil.tsdb.chunks.HeadChunkFormat;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.wal.WalOptions;

/**
 * Configuration of one database (one tenant).
 *
 * @param head head options (out-of-order window, chunk size)
 * @param wal WAL options (segment size, fsync policy)
 * @param blockRangeMs length of the blocks cut from the head (2 h by default, as Prometheus)
 * @param packedSamplesPerChunk samples per packed float chunk in blocks (cut and compacted;
 *     {@link ChunkPolicy#DEFAULT_PACKED_SAMPLES} by default), 0 to write XOR chunks as the head
 *     holds them (Prometheus-compatible chunk bytes)
 * @param headChunkFileSize size of each {@code chunks_head/} file, where full head chunks go
 *     (128 MiB by default, as Prometheus; preallocated sparse, cut to its data when finished)
 * @param replayApplyShards how many shards WAL replay applies float samples in, split by series
 *     (one on the opening thread, each other on its own thread); 0 (the default) for one per
 *     available processor, at least 2
 * @param snapshotOnShutdown whether closing writes a head snapshot, which the next open restores
 *     instead of replaying the WAL (off by default; the server turns it on)
 */
public record TsdbOptions(HeadOptions head, WalOptions wal, long blockRangeMs,
    int packedSamplesPerChunk, long headChunkFileSize, int replayApplyShards,
    boolean snapshotOnShutdown) {
  public static final long DEFAULT_BLOCK_RANGE_MS = 2 * 60 * 60 * 1000L;

  public TsdbOptions {
    if (head == null || wal == null) {
      throw new IllegalArgumentException("head and wal options are required");
    }
    chunkPolicy(head, packedSamplesPerChunk); // validates the chunk sizes
    if (blockRangeMs <= 0) {
      throw new IllegalArgumentException("block range " + blockRangeMs + " ms must be > 0");
    }
    if (head.outOfOrderWindowMs() * 2 > blockRangeMs) {
      // A cut block ends half a range before the newest sample; a wider window could accept
      // samples into a range already written to a block.
      throw new IllegalArgumentException("out-of-order window " + head.outOfOrderWindowMs()
          + " ms exceeds half the block range " + blockRangeMs + " ms");
    }
    if (headChunkFileSize < 4096 || headChunkFileSize > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("head chunk file size " + headChunkFileSize
          + " not in [4096, 2^32)");
    }
    if (replayApplyShards < 0) {
      throw new IllegalArgumentException("replay apply shards " + replayApplyShards
          + " must be >= 0 (0: one per processor)");
    }
  }

  public static TsdbOptions defaults() {
    return new TsdbOptions(HeadOptions.defaults(), WalOptions.defaults(), DEFAULT_BLOCK_RANGE_MS,
        ChunkPolicy.DEFAULT_PACKED_SAMPLES, HeadChunkFormat.DEFAULT_MAX_FILE_SIZE, 0, false);
  }

  public TsdbOptions withHead(HeadOptions h) {
    return new TsdbOptions(h, wal, blockRangeMs, packedSamplesPerChunk, headChunkFileSize,
        replayApplyShards, snapshotOnShutdown);
  }

  public TsdbOptions withWal(WalOptions w) {
    return new TsdbOptions(head, w, blockRangeMs, packedSamplesPerChunk, headChunkFileSize,
        replayApplyShards, snapshotOnShutdown);
  }

  public TsdbOptions withBlockRangeMs(long ms) {
    return new TsdbOptions(head, wal, ms, packedSamplesPerChunk, headChunkFileSize,
        replayApplyShards, snapshotOnShutdown);
  }

  public TsdbOptions withPackedSamplesPerChunk(int n) {
    return new TsdbOptions(head, wal, blockRangeMs, n, headChunkFileSize,
        replayApplyShards, snapshotOnShutdown);
  }

  public TsdbOptions withHeadChunkFileSize(long bytes) {
    return new TsdbOptions(head, wal, blockRangeMs, packedSamplesPerChunk, bytes,
        replayApplyShards, snapshotOnShutdown);
  }

  public TsdbOptions withReplayApplyShards(int shards) {
    return new TsdbOptions(head, wal, blockRangeMs, packedSamplesPerChunk, headChunkFileSize,
        shards, snapshotOnShutdown);
  }

  public TsdbOptions withSnapshotOnShutdown(boolean on) {
    return new TsdbOptions(head, wal, blockRangeMs, packedSamplesPerChunk, headChunkFileSize,
        replayApplyShards, on);
  }

  /** The number of replay apply shards {@link #replayApplyShards} asks for. */
  public int effectiveReplayApplyShards() {
    return replayApplyShards > 0 ? replayApplyShards
        : Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /** How blocks cut from the head and compacted blocks encode their chunks. */
  public ChunkPolicy blockChunks() {
    return chunkPolicy(head, packedSamplesPerChunk);
  }

  private static ChunkPolicy chunkPolicy(HeadOptions head, int packedSamplesPerChunk) {
    return new ChunkPolicy(head.samplesPerChunk(), packedSamplesPerChunk);
  }
}
