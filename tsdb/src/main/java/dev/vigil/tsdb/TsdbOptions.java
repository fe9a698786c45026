package dev.vigil.tsdb;

import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.wal.WalOptions;

/**
 * Configuration of one database (one tenant).
 *
 * @param head head options (out-of-order window, chunk size)
 * @param wal WAL options (segment size, fsync policy)
 * @param blockRangeMs length of the blocks cut from the head (2 h by default, as Prometheus)
 */
public record TsdbOptions(HeadOptions head, WalOptions wal, long blockRangeMs) {
  public static final long DEFAULT_BLOCK_RANGE_MS = 2 * 60 * 60 * 1000L;

  public TsdbOptions {
    if (head == null || wal == null) {
      throw new IllegalArgumentException("head and wal options are required");
    }
    if (blockRangeMs <= 0) {
      throw new IllegalArgumentException("block range " + blockRangeMs + " ms must be > 0");
    }
    if (head.outOfOrderWindowMs() * 2 > blockRangeMs) {
      // A cut block ends half a range before the newest sample; a wider window could accept
      // samples into a range already written to a block.
      throw new IllegalArgumentException("out-of-order window " + head.outOfOrderWindowMs()
          + " ms exceeds half the block range " + blockRangeMs + " ms");
    }
  }

  public static TsdbOptions defaults() {
    return new TsdbOptions(HeadOptions.defaults(), WalOptions.defaults(), DEFAULT_BLOCK_RANGE_MS);
  }

  public TsdbOptions withHead(HeadOptions h) {
    return new TsdbOptions(h, wal, blockRangeMs);
  }

  public TsdbOptions withWal(WalOptions w) {
    return new TsdbOptions(head, w, blockRangeMs);
  }

  public TsdbOptions withBlockRangeMs(long ms) {
    return new TsdbOptions(head, wal, ms);
  }
}
