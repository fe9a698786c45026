package dev.vigil.model.storage;

import java.util.List;

/**
 * What the query engine will do with the selected series, so storage can prune: the time range
 * actually needed, the step, the enclosing function and grouping. Advisory only.
 */
public record SelectHints(
    long start, long end, long step, String function, List<String> grouping, boolean by,
    long range) {
  public SelectHints {
    grouping = grouping == null ? List.of() : List.copyOf(grouping);
    function = function == null ? "" : function;
  }

  public static SelectHints range(long start, long end) {
    return new SelectHints(start, end, 0, "", List.of(), false, 0);
  }
}
