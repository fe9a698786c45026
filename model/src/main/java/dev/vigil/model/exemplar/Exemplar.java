package dev.vigil.model.exemplar;

import dev.vigil.model.labels.Labels;
import java.util.Objects;

/**
 * One exemplar as stored: its own labels (usually a trace id), the observed value and a
 * timestamp in milliseconds. Scrapes give exemplars without a timestamp the scrape's time
 * before they reach storage, as Prometheus does, so a stored exemplar always has one.
 */
public record Exemplar(Labels labels, double value, long timestamp) {
  /**
   * OpenMetrics's limit on an exemplar's label set: names and values together at most 128
   * UTF-8 characters; Prometheus rejects longer ones at append.
   */
  public static final int MAX_LABELS_RUNES = 128;

  public Exemplar {
    Objects.requireNonNull(labels, "labels");
  }

  /** Same labels, value (bit for bit) and timestamp: Prometheus drops such a repeat silently. */
  public boolean sameAs(Exemplar other) {
    return timestamp == other.timestamp
        && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(other.value)
        && labels.equals(other.labels);
  }
}
