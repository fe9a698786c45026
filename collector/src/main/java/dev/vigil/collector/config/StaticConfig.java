package dev.vigil.collector.config;

import dev.vigil.model.labels.Labels;
import java.util.List;

/** One {@code static_configs} entry: targets ({@code host:port}) sharing the same labels. */
public record StaticConfig(List<String> targets, Labels labels) {
  public StaticConfig {
    targets = List.copyOf(targets);
  }
}
