package dev.vigil.promql.parser;

/** Aggregation operators; {@code hasParam} ones take a first argument (k, quantile, label, ratio). */
public enum AggregateOp {
  SUM("sum", false),
  AVG("avg", false),
  COUNT("count", false),
  MIN("min", false),
  MAX("max", false),
  GROUP("group", false),
  STDDEV("stddev", false),
  STDVAR("stdvar", false),
  TOPK("topk", true),
  BOTTOMK("bottomk", true),
  COUNT_VALUES("count_values", true),
  QUANTILE("quantile", true),
  LIMITK("limitk", true),
  LIMIT_RATIO("limit_ratio", true);

  private final String text;
  private final boolean hasParam;

  AggregateOp(String text, boolean hasParam) {
    this.text = text;
    this.hasParam = hasParam;
  }

  public String text() {
    return text;
  }

  public boolean hasParam() {
    return hasParam;
  }

  /** The operator spelled {@code name} (case-insensitive), or null. */
  public static AggregateOp byName(String name) {
    for (AggregateOp op : values()) {
      if (op.text.equalsIgnoreCase(name)) {
        return op;
      }
    }
    return null;
  }
}
