package dev.vigil.promql.parser;

/** Binary operators with their PromQL spelling and precedence (higher binds tighter). */
public enum BinaryOp {
  LOR("or", 1),
  LAND("and", 2),
  LUNLESS("unless", 2),
  EQLC("==", 3),
  NEQ("!=", 3),
  LTE("<=", 3),
  LSS("<", 3),
  GTE(">=", 3),
  GTR(">", 3),
  /** Native-histogram trim: drop observations above the scalar ({@code </}). */
  TRIM_UPPER("</", 3),
  /** Native-histogram trim: drop observations below the scalar ({@code >/}). */
  TRIM_LOWER(">/", 3),
  ADD("+", 4),
  SUB("-", 4),
  MUL("*", 5),
  DIV("/", 5),
  MOD("%", 5),
  ATAN2("atan2", 5),
  POW("^", 6);

  private final String text;
  private final int precedence;

  BinaryOp(String text, int precedence) {
    this.text = text;
    this.precedence = precedence;
  }

  public String text() {
    return text;
  }

  public int precedence() {
    return precedence;
  }

  /** {@code ^} is the only right-associative operator. */
  public boolean isRightAssociative() {
    return this == POW;
  }

  /** The six comparisons; the trim operators share their precedence but are not comparisons. */
  public boolean isComparison() {
    return precedence == 3 && this != TRIM_UPPER && this != TRIM_LOWER;
  }

  /** {@code and}, {@code or}, {@code unless}: many-to-many matching, vector operands only. */
  public boolean isSetOperator() {
    return this == LAND || this == LOR || this == LUNLESS;
  }
}
