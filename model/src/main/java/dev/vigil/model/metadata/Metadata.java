package dev.vigil.model.metadata;

import java.util.Objects;

/**
 * What a scrape or a push says about one series's metric family: type, help text and unit, as
 * Prometheus's {@code metadata.Metadata}. Empty strings mean "not given".
 */
public record Metadata(MetricType type, String help, String unit) {
  public static final Metadata UNKNOWN = new Metadata(MetricType.UNKNOWN, "", "");

  public Metadata {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(help, "help");
    Objects.requireNonNull(unit, "unit");
  }
}
