package dev.vigil.model.storage;

/** Something samples can be written to. */
public interface Appendable {
  Appender appender();

  /**
   * Whether start timestamps given to {@link Appender#appendWithStart} become data here (as
   * zero samples: Prometheus's {@code created-timestamp-zero-ingestion}). Sources that otherwise
   * deliver them as series of their own, OpenMetrics {@code _created} lines, deliver them as
   * start timestamps only to such a store, as Prometheus does under that feature flag. False
   * unless a store says otherwise.
   */
  default boolean ingestsStartTimestamps() {
    return false;
  }
}
