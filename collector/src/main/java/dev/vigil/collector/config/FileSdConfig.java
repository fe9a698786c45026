package dev.vigil.collector.config;

import java.time.Duration;
import java.util.List;

/** {@code file_sd_configs}: JSON/YAML target files (globs allowed in the last path element). */
public record FileSdConfig(List<String> files, Duration refreshInterval) {
  public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);

  public FileSdConfig {
    files = List.copyOf(files);
  }
}
