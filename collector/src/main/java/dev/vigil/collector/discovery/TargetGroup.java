package dev.vigil.collector.discovery;

import dev.vigil.collector.config.StaticConfig;
import dev.vigil.model.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * What a discovery produced under one source name: targets (each at least {@code __address__}
 * plus {@code __meta_*} labels) and labels common to the group. Prometheus's
 * {@code targetgroup.Group}.
 */
public record TargetGroup(String source, List<Labels> targets, Labels labels) {
  public TargetGroup {
    targets = List.copyOf(targets);
  }

  /** The group of the {@code index}-th entry of a job's {@code static_configs}. */
  public static TargetGroup fromStatic(StaticConfig sc, int index) {
    List<Labels> targets = new ArrayList<>(sc.targets().size());
    for (String t : sc.targets()) {
      targets.add(Labels.of("__address__", t));
    }
    return new TargetGroup(Integer.toString(index), targets, sc.labels());
  }

  /** A target's discovered labels: the group's labels, overridden by the target's own. */
  public Labels merged(int i) {
    Labels t = targets.get(i);
    if (labels.isEmpty()) {
      return t;
    }
    Labels.Builder b = labels.toBuilder();
    for (int k = 0; k < t.size(); k++) {
      b.set(t.name(k), t.value(k));
    }
    return b.build();
  }
}
