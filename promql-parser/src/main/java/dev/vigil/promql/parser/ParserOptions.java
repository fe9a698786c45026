package dev.vigil.promql.parser;

/**
 * Feature flags of the parser, Prometheus's {@code parser.Options}. Passed in, never global.
 *
 * @param experimentalFunctions experimental functions and the limitk/limit_ratio aggregations
 *     ({@code --enable-feature=promql-experimental-functions})
 * @param durationExpressions arithmetic in ranges, offsets and steps, {@code step()},
 *     {@code range()}, {@code min_of}, {@code max_of} ({@code promql-duration-expr})
 * @param extendedRangeSelectors the {@code anchored} and {@code smoothed} modifiers
 * @param binopFillModifiers {@code fill}, {@code fill_left}, {@code fill_right} on binary ops
 */
public record ParserOptions(
    boolean experimentalFunctions,
    boolean durationExpressions,
    boolean extendedRangeSelectors,
    boolean binopFillModifiers) {

  /** Stable Prometheus: every experimental feature off. */
  public static final ParserOptions DEFAULT = new ParserOptions(false, false, false, false);

  /** Everything on, as Prometheus's own test suite runs. */
  public static final ParserOptions ALL_FEATURES = new ParserOptions(true, true, true, true);
}
