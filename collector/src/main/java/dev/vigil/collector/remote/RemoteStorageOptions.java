package dev.vigil.collector.remote;

import dev.vigil.tsdb.wal.WalOptions;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Tuning of the sender that is not part of Prometheus's {@code remote_write} config.
 *
 * @param wal segment size and fsync policy of the buffer WAL (commit = acknowledgement, so the
 *     fsync policy decides what survives power loss; every committed sample survives a kill)
 * @param positionSaveInterval how often each queue's sent position is made durable; after a
 *     crash at most this much already-sent data is sent again (receivers accept identical
 *     duplicates)
 * @param truncateInterval how often segments every queue has sent are replaced by a checkpoint
 * @param reshardInterval how often the shard count is reconsidered (Prometheus: 10 s)
 * @param watcherPoll how long a watcher waits for a commit signal before looking at the WAL anyway
 * @param closeTimeout how long {@code close()} keeps sending what is buffered in memory (5 s:
 *     what is not sent by then is safe in the WAL and sent after the next start)
 * @param clock wall clock for {@code sample_age_limit} and HTTP-date {@code Retry-After}
 * @param startTimestampZeroSamples whether a sample's start timestamp is sent as a zero sample
 *     at that time when the series is new or its counter was reset (Prometheus's agent with
 *     {@code created-timestamp-zero-ingestion}); off by default
 */
public record RemoteStorageOptions(
    WalOptions wal,
    Duration positionSaveInterval,
    Duration truncateInterval,
    Duration reshardInterval,
    Duration watcherPoll,
    Duration closeTimeout,
    InstantSource clock,
    boolean startTimestampZeroSamples) {

  public RemoteStorageOptions {
    for (Duration d : new Duration[] {positionSaveInterval, truncateInterval, reshardInterval, watcherPoll}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("remote storage intervals must be positive, got " + d);
      }
    }
    if (closeTimeout.isNegative()) {
      throw new IllegalArgumentException("close timeout must not be negative, got " + closeTimeout);
    }
  }

  public static RemoteStorageOptions defaults() {
    return new RemoteStorageOptions(WalOptions.defaults(), Duration.ofSeconds(1),
        Duration.ofMinutes(2), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5),
        InstantSource.system(), false);
  }

  public RemoteStorageOptions withWal(WalOptions w) {
    return new RemoteStorageOptions(w, positionSaveInterval, truncateInterval, reshardInterval,
        watcherPoll, closeTimeout, clock,
        startTimestampZeroSamples);
  }

  public RemoteStorageOptions withIntervals(Duration positionSave, Duration truncate, Duration reshard) {
    return new RemoteStorageOptions(wal, positionSave, truncate, reshard, watcherPoll, closeTimeout, clock,
        startTimestampZeroSamples);
  }

  public RemoteStorageOptions withCloseTimeout(Duration d) {
    return new RemoteStorageOptions(wal, positionSaveInterval, truncateInterval, reshardInterval,
        watcherPoll, d, clock, startTimestampZeroSamples);
  }

  public RemoteStorageOptions withStartTimestampZeroSamples(boolean on) {
    return new RemoteStorageOptions(wal, positionSaveInterval, truncateInterval, reshardInterval,
        watcherPoll, closeTimeout, clock, on);
  }
}
