package dev.vigil.tsdb.wal;

/**
 * When the WAL forces written bytes to stable storage. Both policies write every commit to the
 * OS before the commit returns, so a killed process loses nothing it acknowledged; they differ
 * on power loss or kernel crash.
 */
public enum FsyncPolicy {
  /**
   * fsync before each commit returns (concurrent commits share one fsync). Nothing acknowledged
   * is lost even on power loss; each commit pays one disk flush of latency.
   */
  PER_COMMIT,
  /**
   * fsync every {@code fsyncIntervalMs} in the background. Commits return after the write; a
   * power loss can lose up to one interval of acknowledged samples. Much higher throughput on
   * slow disks; what Prometheus does (it syncs on segment rotation only).
   */
  INTERVAL
}
