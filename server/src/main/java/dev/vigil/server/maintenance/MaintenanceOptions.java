package dev.vigil.server.maintenance;

import java.time.Duration;
import java.util.Objects;

/**
 * How the TSDBs are kept.
 *
 * @param interval how often cut, compaction and retention run
 *     ({@code -blocks-storage.tsdb.head-compaction-interval}, 1m as in Mimir); zero = never
 *     (tests, or a read-only server)
 * @param retentionTime blocks whose data is entirely older than this before the newest sample
 *     are deleted ({@code --storage.tsdb.retention.time}, 15d as in Prometheus); zero = keep
 * @param retentionBytes the oldest blocks are deleted while a tenant's blocks exceed this
 *     ({@code --storage.tsdb.retention.size}); 0 = no size limit
 * @param closeIdleTimeout tenants unused this long are closed
 *     ({@code -blocks-storage.tsdb.close-idle-tsdb-timeout}); zero = never, Mimir's default
 * @param headSnapshotInterval how often a tenant's head is written to a snapshot while it
 *     takes writes ({@code --blocks-storage.tsdb.head-snapshot-interval}, 15m), so that a restart
 *     after a crash restores it and replays only the WAL written since; zero = only at shutdown
 */
public record MaintenanceOptions(Duration interval, Duration retentionTime, long retentionBytes,
    Duration closeIdleTimeout, Duration headSnapshotInterval) {
  public static final MaintenanceOptions DEFAULTS = new MaintenanceOptions(Duration.ofMinutes(1),
      Duration.ofDays(15), 0, Duration.ZERO, Duration.ofMinutes(15));

  /** As before head snapshots: none while running. */
  public MaintenanceOptions(Duration interval, Duration retentionTime, long retentionBytes,
      Duration closeIdleTimeout) {
    this(interval, retentionTime, retentionBytes, closeIdleTimeout, Duration.ZERO);
  }

  public MaintenanceOptions {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(retentionTime, "retentionTime");
    Objects.requireNonNull(closeIdleTimeout, "closeIdleTimeout");
    Objects.requireNonNull(headSnapshotInterval, "headSnapshotInterval");
    if (interval.isNegative() || retentionTime.isNegative() || retentionBytes < 0
        || closeIdleTimeout.isNegative() || headSnapshotInterval.isNegative()) {
      throw new IllegalArgumentException("maintenance settings must not be negative");
    }
  }

  /**
   * Parses a size as Prometheus's {@code --storage.tsdb.retention.size} takes it: a number
   * with a unit of B, KB, MB, GB, TB, PB or EB (powers of 1024), or 0.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static long parseBytes(String s) {
    String t = s.trim().toUpperCase(java.util.Locale.ROOT);
    if (t.equals("0")) {
      return 0;
    }
    String[] units = {"EB", "PB", "TB", "GB", "MB", "KB", "B"};
    int[] shifts = {60, 50, 40, 30, 20, 10, 0};
    for (int i = 0; i < units.length; i++) {
      if (t.endsWith(units[i])) {
        String num = t.substring(0, t.length() - units[i].length());
        try {
          long n = Long.parseLong(num);
          if (n < 0 || (shifts[i] > 0 && n > (Long.MAX_VALUE >> shifts[i]))) {
            break;
          }
          return n << shifts[i];
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    throw new IllegalArgumentException("not a size such as 512MB or 10GB: \"" + s + "\"");
  }
}
