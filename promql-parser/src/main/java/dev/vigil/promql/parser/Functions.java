package dev.vigil.promql.parser;

import static dev.vigil.promql.parser.ValueType.MATRIX;
import static dev.vigil.promql.parser.ValueType.SCALAR;
import static dev.vigil.promql.parser.ValueType.STRING;
import static dev.vigil.promql.parser.ValueType.VECTOR;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The signature table of every PromQL function (Prometheus 3.x's {@code parser/functions.go}).
 * The engine keeps the implementation table; a test asserts both have the same names.
 */
public final class Functions {
  private static final Map<String, FunctionSignature> BY_NAME;

  static {
    TreeMap<String, FunctionSignature> m = new TreeMap<>();
    for (String f : List.of("abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn",
        "deg", "rad", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin",
        "sinh", "tan", "tanh", "timestamp", "sort", "sort_desc", "histogram_avg",
        "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar", "absent")) {
      put(m, f, List.of(VECTOR), 0, VECTOR, false);
    }
    for (String f : List.of("avg_over_time", "count_over_time", "max_over_time", "min_over_time",
        "sum_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time",
        "present_over_time", "absent_over_time", "changes", "resets", "rate", "irate",
        "increase", "delta", "idelta", "deriv")) {
      put(m, f, List.of(MATRIX), 0, VECTOR, false);
    }
    for (String f : List.of("mad_over_time", "first_over_time", "ts_of_max_over_time",
        "ts_of_min_over_time", "ts_of_first_over_time", "ts_of_last_over_time")) {
      put(m, f, List.of(MATRIX), 0, VECTOR, true);
    }
    for (String f : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month",
        "hour", "minute", "month", "year")) {
      put(m, f, List.of(VECTOR), 1, VECTOR, false);
    }
    put(m, "clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR, false);
    put(m, "clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR, false);
    put(m, "clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR, false);
    put(m, "round", List.of(VECTOR, SCALAR), 1, VECTOR, false);
    put(m, "predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR, false);
    put(m, "quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR, false);
    put(m, "double_exponential_smoothing", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR, true);
    put(m, "histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR, false);
    // One quantile is required, up to nine more may follow (parser/functions.go).
    put(m, "histogram_quantiles", List.of(VECTOR, STRING, SCALAR, SCALAR), 9, VECTOR, true);
    put(m, "histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR, false);
    put(m, "label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR, false);
    put(m, "label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR, false);
    put(m, "sort_by_label", List.of(VECTOR, STRING), -1, VECTOR, true);
    put(m, "sort_by_label_desc", List.of(VECTOR, STRING), -1, VECTOR, true);
    put(m, "info", List.of(VECTOR, VECTOR), 1, VECTOR, true);
    put(m, "start_timestamp", List.of(VECTOR), 0, VECTOR, true);
    put(m, "scalar", List.of(VECTOR), 0, SCALAR, false);
    put(m, "vector", List.of(SCALAR), 0, VECTOR, false);
    put(m, "time", List.of(), 0, SCALAR, false);
    put(m, "pi", List.of(), 0, SCALAR, false);
    // Experimental query-parameter functions; the duration keywords double as functions.
    for (String f : List.of("start", "end", "step", "range")) {
      put(m, f, List.of(), 0, SCALAR, true);
    }
    put(m, "min_of", List.of(SCALAR, SCALAR), 0, SCALAR, true);
    put(m, "max_of", List.of(SCALAR, SCALAR), 0, SCALAR, true);
    BY_NAME = Collections.unmodifiableMap(m);
  }

  private Functions() {}

  private static void put(Map<String, FunctionSignature> m, String name, List<ValueType> args,
      int variadic, ValueType ret, boolean experimental) {
    m.put(name, new FunctionSignature(name, args, variadic, ret, experimental));
  }

  /** The function called {@code name} (case-sensitive, as in Prometheus), or null. */
  public static FunctionSignature byName(String name) {
    return BY_NAME.get(name);
  }

  /** Every function, sorted by name. */
  public static Map<String, FunctionSignature> all() {
    return BY_NAME;
  }
}
