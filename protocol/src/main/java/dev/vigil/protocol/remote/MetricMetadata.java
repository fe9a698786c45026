package dev.vigil.protocol.remote;

import dev.vigil.model.metadata.MetricType;
import java.util.Objects;

/**
 * What a sender says about a metric family: its type, help text and unit, as remote write 1.0
 * {@code MetricMetadata}, remote write 2.0 per-series {@code Metadata} and OTLP metric
 * descriptions carry it, and as {@code /api/v1/metadata} shows it.
 *
 * @param family metric family name (for 2.0 series: the metric name without the
 *     {@code _bucket}/{@code _sum}/{@code _count} suffix of classic histograms and summaries)
 * @param type the family's type
 * @param help help text ("" when none)
 * @param unit unit ("" when none)
 */
public record MetricMetadata(String family, MetricType type, String help, String unit) {
  public MetricMetadata {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(help, "help");
    Objects.requireNonNull(unit, "unit");
  }
}
