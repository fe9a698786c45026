package dev.vigil.mixin.render;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code vigil mixin build} renders and where.
 *
 * @param mixinFile the mixin's entry file ({@code mixin.libsonnet})
 * @param libraryPaths import search folders ({@code vendor})
 * @param outDir the output folder, replaced as a whole
 * @param name the mixin's name in manifest object names (e.g. {@code kubernetes})
 */
public record BuildOptions(Path mixinFile, List<Path> libraryPaths, Path outDir, String name) {
  /** Kubernetes' ConfigMap limit; Grafana's sidecar reads dashboards from ConfigMaps. */
  public static final int CONFIGMAP_LIMIT_BYTES = 1024 * 1024;

  public BuildOptions {
    libraryPaths = List.copyOf(libraryPaths);
    if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
      throw new IllegalArgumentException("mixin name '" + name + "' is not a DNS label (a-z, 0-9, '-')");
    }
  }
}
