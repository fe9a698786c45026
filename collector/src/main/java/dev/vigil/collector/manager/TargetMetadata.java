package dev.vigil.collector.manager;

import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.remote.MetricMetadata;
import java.util.List;
import java.util.Objects;

/**
 * The metric metadata one active target's scrapes stated, as {@code /api/v1/targets/metadata}
 * shows it.
 *
 * @param target the target's labels (those its series get)
 * @param scrapePool the job name
 * @param metadata per metric family, sorted by family name
 */
public record TargetMetadata(Labels target, String scrapePool, List<MetricMetadata> metadata) {
  public TargetMetadata {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(scrapePool, "scrapePool");
    metadata = List.copyOf(metadata);
  }

  /** The metadata of {@code family}, or null when this target states none. */
  public MetricMetadata of(String family) {
    for (MetricMetadata m : metadata) {
      if (m.family().equals(family)) {
        return m;
      }
    }
    return null;
  }
}
