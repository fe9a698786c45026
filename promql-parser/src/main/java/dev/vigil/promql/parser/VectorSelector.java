package dev.vigil.promql.parser;

import dev.vigil.model.labels.Matcher;
import java.util.List;

/**
 * An instant vector selector: {@code name{matchers} offset D @ T}.
 *
 * @param name the metric name as written before the braces, or null when none was written (the
 *     name then may still be constrained by a {@code __name__} matcher)
 * @param matchers all matchers, including the {@code __name__="name"} matcher for a written name
 * @param offset the offset duration expression in seconds (null: none); negative means future
 * @param at the {@code @} modifier, or null
 * @param anchored experimental {@code anchored} modifier (extended range selectors)
 * @param smoothed experimental {@code smoothed} modifier (extended range selectors)
 */
public record VectorSelector(
    String name,
    List<Matcher> matchers,
    Expr offset,
    AtModifier at,
    boolean anchored,
    boolean smoothed,
    PositionRange pos)
    implements Expr {
  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }
}
