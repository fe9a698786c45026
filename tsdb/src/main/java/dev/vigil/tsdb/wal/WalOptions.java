package dev.vigil.tsdb.wal;

/**
 * WAL configuration.
 *
 * @param segmentSize bytes after which a new segment is started (128 MiB by default, as
 *     Prometheus); a single batch larger than this gets a segment of its own
 * @param fsync when to fsync
 * @param fsyncIntervalMs period of the background fsync under {@link FsyncPolicy#INTERVAL}
 */
public record WalOptions(long segmentSize, FsyncPolicy fsync, long fsyncIntervalMs) {
  public WalOptions {
    if (segmentSize < 4096 || segmentSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("segment size " + segmentSize + " not in [4096, 2^31)");
    }
    if (fsync == null) {
      throw new IllegalArgumentException("fsync policy missing");
    }
    if (fsyncIntervalMs <= 0) {
      throw new IllegalArgumentException("fsync interval " + fsyncIntervalMs + " ms must be > 0");
    }
  }

  public static WalOptions defaults() {
    return new WalOptions(128L << 20, FsyncPolicy.PER_COMMIT, 1000);
  }

  public WalOptions withFsync(FsyncPolicy policy) {
    return new WalOptions(segmentSize, policy, fsyncIntervalMs);
  }

  public WalOptions withSegmentSize(long bytes) {
    return new WalOptions(bytes, fsync, fsyncIntervalMs);
  }
}
