package dev.vigil.promql.parser;

import java.util.List;

/**
 * How the two vector operands of a binary operation are matched.
 *
 * @param cardinality one-to-one, many-to-one ({@code group_left}), one-to-many ({@code
 *     group_right}) or many-to-many (set operators)
 * @param matchingLabels the labels of {@code on(...)} or {@code ignoring(...)}
 * @param on true for {@code on}, false for {@code ignoring} (or neither written)
 * @param include extra labels of {@code group_left(...)} / {@code group_right(...)}
 * @param fillLeft experimental {@code fill}/{@code fill_left} value for missing left-hand
 *     samples, or null
 * @param fillRight experimental {@code fill}/{@code fill_right} value for missing right-hand
 *     samples, or null
 */
public record VectorMatching(
    Cardinality cardinality,
    List<String> matchingLabels,
    boolean on,
    List<String> include,
    Double fillLeft,
    Double fillRight) {
  public VectorMatching {
    matchingLabels = List.copyOf(matchingLabels);
    include = List.copyOf(include);
  }

  public enum Cardinality {
    ONE_TO_ONE,
    MANY_TO_ONE,
    ONE_TO_MANY,
    MANY_TO_MANY
  }
}
