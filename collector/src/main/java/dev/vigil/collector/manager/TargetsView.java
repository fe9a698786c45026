package dev.vigil.collector.manager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of every job's targets, the data of {@code /api/v1/targets}.
 *
 * @param active scraped targets, by job in config order
 * @param dropped targets relabelling dropped
 * @param droppedCounts dropped targets per job (every job present, zero included)
 */
public record TargetsView(List<ActiveTarget> active, List<DroppedTarget> dropped, Map<String, Integer> droppedCounts) {
  public static final TargetsView EMPTY = new TargetsView(List.of(), List.of(), Map.of());

  public TargetsView {
    active = List.copyOf(active);
    dropped = List.copyOf(dropped);
    droppedCounts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(droppedCounts));
  }

  /**
   * What the API answers for {@code state} and {@code scrapePool} (null or "" for all pools):
   * the other list empty; an unknown state (null) empties both, as Prometheus does.
   */
  public TargetsView filter(TargetState state, String scrapePool) {
    boolean allPools = scrapePool == null || scrapePool.isEmpty();
    List<ActiveTarget> a = new ArrayList<>();
    if (state == TargetState.ACTIVE || state == TargetState.ANY) {
      for (ActiveTarget t : active) {
        if (allPools || t.scrapePool().equals(scrapePool)) {
          a.add(t);
        }
      }
    }
    List<DroppedTarget> d = new ArrayList<>();
    if (state == TargetState.DROPPED || state == TargetState.ANY) {
      for (DroppedTarget t : dropped) {
        if (allPools || t.scrapePool().equals(scrapePool)) {
          d.add(t);
        }
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : droppedCounts.entrySet()) {
      if (allPools || e.getKey().equals(scrapePool)) {
        counts.put(e.getKey(), e.getValue());
      }
    }
    return new TargetsView(a, d, counts);
  }
}
