package dev.vigil.promql.functions;

import dev.vigil.promql.functions.FunctionImpl.Instant;
import dev.vigil.promql.functions.FunctionImpl.InstantFunction;
import dev.vigil.promql.functions.FunctionImpl.OverRange;
import dev.vigil.promql.functions.FunctionImpl.RangeFunction;
import dev.vigil.model.histogram.HistogramStatistics;
import dev.vigil.model.labels.Labels;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The implementation of every PromQL function, by name. Its key set equals the parser's
 * signature table ({@code dev.vigil.promql.parser.Functions}); a test keeps the two in step.
 */
public final class FunctionTable {
  private static final Map<String, FunctionImpl> BY_NAME = build();

  private FunctionTable() {}

  /** The implementation of {@code name}, or null. */
  public static FunctionImpl get(String name) {
    return BY_NAME.get(name);
  }

  /** All implementations by name (sorted, unmodifiable). */
  public static Map<String, FunctionImpl> all() {
    return BY_NAME;
  }

  private static Map<String, FunctionImpl> build() {
    TreeMap<String, FunctionImpl> m = new TreeMap<>();
    // Elementwise math.
    floatFn(m, "abs", Math::abs);
    floatFn(m, "ceil", Math::ceil);
    floatFn(m, "floor", Math::floor);
    floatFn(m, "exp", Math::exp);
    floatFn(m, "sqrt", Math::sqrt);
    floatFn(m, "ln", Math::log);
    floatFn(m, "log2", GoMath::log2);
    floatFn(m, "log10", Math::log10);
    floatFn(m, "sgn", InstantFunctions::sgn);
    floatFn(m, "deg", v -> v * 180 / Math.PI);
    floatFn(m, "rad", v -> v * Math.PI / 180);
    floatFn(m, "acos", Math::acos);
    floatFn(m, "acosh", v -> Math.log(v + Math.sqrt(v * v - 1)));
    floatFn(m, "asin", Math::asin);
    floatFn(m, "asinh", FunctionTable::asinh);
    floatFn(m, "atan", Math::atan);
    floatFn(m, "atanh", v -> 0.5 * Math.log((1 + v) / (1 - v)));
    floatFn(m, "cos", Math::cos);
    floatFn(m, "cosh", Math::cosh);
    floatFn(m, "sin", Math::sin);
    floatFn(m, "sinh", Math::sinh);
    floatFn(m, "tan", Math::tan);
    floatFn(m, "tanh", Math::tanh);
    instant(m, "clamp", InstantFunctions::clamp);
    instant(m, "clamp_max", InstantFunctions::clampMax);
    instant(m, "clamp_min", InstantFunctions::clampMin);
    instant(m, "round", InstantFunctions::round);
    instant(m, "timestamp", InstantFunctions::timestamp);
    instant(m, "start_timestamp", (args, call, ctx, out) -> { });
    instant(m, "time", InstantFunctions::time);
    instant(m, "pi", InstantFunctions::pi);
    // Query-context functions (Prometheus folds them into literals before evaluation).
    instant(m, "start", (a, c, ctx, out) -> out.addFloat(Labels.EMPTY, ctx.queryStart() / 1000.0,
        false));
    instant(m, "end", (a, c, ctx, out) -> out.addFloat(Labels.EMPTY, ctx.queryEnd() / 1000.0,
        false));
    instant(m, "step", (a, c, ctx, out) -> out.addFloat(Labels.EMPTY, ctx.queryStep() / 1000.0,
        false));
    instant(m, "range", (a, c, ctx, out) -> out.addFloat(Labels.EMPTY,
        (ctx.queryEnd() - ctx.queryStart()) / 1000.0, false));
    instant(m, "min_of", (a, c, ctx, out) -> out.addFloat(Labels.EMPTY,
        Math.min(a[0].f[0], a[1].f[0]), false));
    instant(m, "max_of", (a, c, ctx, out) -> out.addFloat(Labels.EMPTY,
        Math.max(a[0].f[0], a[1].f[0]), false));
    instant(m, "scalar", InstantFunctions::scalar);
    instant(m, "vector", InstantFunctions::vector);
    instant(m, "sort", InstantFunctions::sort);
    instant(m, "sort_desc", InstantFunctions::sortDesc);
    instant(m, "sort_by_label", InstantFunctions::sortByLabel);
    instant(m, "sort_by_label_desc", InstantFunctions::sortByLabelDesc);
    instant(m, "absent", InstantFunctions::absent);
    date(m, "day_of_month", ZonedDateTime::getDayOfMonth);
    date(m, "day_of_week", InstantFunctions::dayOfWeek);
    date(m, "day_of_year", ZonedDateTime::getDayOfYear);
    date(m, "days_in_month", InstantFunctions::daysInMonth);
    date(m, "hour", ZonedDateTime::getHour);
    date(m, "minute", ZonedDateTime::getMinute);
    date(m, "month", ZonedDateTime::getMonthValue);
    date(m, "year", ZonedDateTime::getYear);
    // Histograms.
    instant(m, "histogram_quantile", HistogramFunctions::histogramQuantile);
    instant(m, "histogram_quantiles", HistogramFunctions::histogramQuantiles);
    instant(m, "histogram_fraction", HistogramFunctions::histogramFraction);
    instant(m, "histogram_count", HistogramFunctions.histogramFn(h -> h.count()));
    instant(m, "histogram_sum", HistogramFunctions.histogramFn(h -> h.sum()));
    instant(m, "histogram_avg", HistogramFunctions.histogramFn(HistogramStatistics::avg));
    instant(m, "histogram_stddev", HistogramFunctions.histogramFn(HistogramStatistics::stddev));
    instant(m, "histogram_stdvar", HistogramFunctions.histogramFn(HistogramStatistics::stdvar));
    // Range functions.
    range(m, "rate", RateFunctions::rate);
    range(m, "increase", RateFunctions::increase);
    range(m, "delta", RateFunctions::delta);
    range(m, "irate", RateFunctions::irate);
    range(m, "idelta", RateFunctions::idelta);
    range(m, "avg_over_time", RangeFunctions::avgOverTime);
    range(m, "sum_over_time", RangeFunctions::sumOverTime);
    range(m, "count_over_time", RangeFunctions::countOverTime);
    range(m, "min_over_time", RangeFunctions::minOverTime);
    range(m, "max_over_time", RangeFunctions::maxOverTime);
    range(m, "stddev_over_time", RangeFunctions::stddevOverTime);
    range(m, "stdvar_over_time", RangeFunctions::stdvarOverTime);
    range(m, "quantile_over_time", RangeFunctions::quantileOverTime);
    range(m, "mad_over_time", RangeFunctions::madOverTime);
    range(m, "present_over_time", RangeFunctions::presentOverTime);
    range(m, "absent_over_time", RangeFunctions::absentOverTime);
    range(m, "ts_of_max_over_time", RangeFunctions::tsOfMaxOverTime);
    range(m, "ts_of_min_over_time", RangeFunctions::tsOfMinOverTime);
    range(m, "ts_of_first_over_time", RangeFunctions::tsOfFirstOverTime);
    range(m, "ts_of_last_over_time", RangeFunctions::tsOfLastOverTime);
    range(m, "changes", RangeFunctions::changes);
    range(m, "resets", RangeFunctions::resets);
    range(m, "deriv", RangeFunctions::deriv);
    range(m, "predict_linear", RangeFunctions::predictLinear);
    range(m, "double_exponential_smoothing", RangeFunctions::doubleExponentialSmoothing);
    // last/first_over_time act like an offset: they keep the metric name.
    m.put("last_over_time", new OverRange(RangeFunctions::lastOverTime, true));
    m.put("first_over_time", new OverRange(RangeFunctions::firstOverTime, true));
    // Whole-series functions evaluated by the engine.
    m.put("label_replace", new FunctionImpl.Engine());
    m.put("label_join", new FunctionImpl.Engine());
    m.put("info", new FunctionImpl.Engine());
    return Collections.unmodifiableMap(m);
  }

  private static double asinh(double v) {
    if (Double.isInfinite(v)) {
      return v;
    }
    double a = Math.abs(v);
    double r = Math.log(a + Math.sqrt(a * a + 1));
    return v < 0 || (v == 0 && 1 / v < 0) ? -r : r;
  }

  private static void floatFn(Map<String, FunctionImpl> m, String name,
      java.util.function.DoubleUnaryOperator op) {
    m.put(name, new Instant(InstantFunctions.floatFn(op)));
  }

  private static void instant(Map<String, FunctionImpl> m, String name, InstantFunction fn) {
    m.put(name, new Instant(fn));
  }

  private static void date(Map<String, FunctionImpl> m, String name,
      InstantFunctions.DateField field) {
    m.put(name, new Instant(InstantFunctions.date(field)));
  }

  private static void range(Map<String, FunctionImpl> m, String name, RangeFunction fn) {
    m.put(name, new OverRange(fn, false));
  }
}
