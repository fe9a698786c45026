package dev.vigil.promql.parser;

/** The four PromQL value types (and NONE for nodes without a value), named as Prometheus names them in errors. */
public enum ValueType {
  NONE("none"),
  SCALAR("scalar"),
  VECTOR("instant vector"),
  MATRIX("range vector"),
  STRING("string");

  private final String displayName;

  ValueType(String displayName) {
    this.displayName = displayName;
  }

  /** The name Prometheus uses in messages, e.g. "instant vector". */
  public String displayName() {
    return displayName;
  }
}
