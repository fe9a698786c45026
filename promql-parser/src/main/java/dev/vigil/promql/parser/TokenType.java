package dev.vigil.promql.parser;

/**
 * Token kinds of the PromQL lexer. The categories decide how a token is described in error
 * messages, exactly as Prometheus's {@code Item.desc()} does: keywords as {@code <by>}, operators
 * as {@code <op:+>}, aggregators as {@code <aggr:sum>}.
 */
enum TokenType {
  EOF(Kind.OTHER, null),
  ERROR(Kind.OTHER, null),
  IDENTIFIER(Kind.OTHER, null),
  METRIC_IDENTIFIER(Kind.OTHER, null),
  STRING(Kind.OTHER, null),
  NUMBER(Kind.OTHER, null),
  DURATION(Kind.OTHER, null),

  LEFT_PAREN(Kind.PUNCT, "("),
  RIGHT_PAREN(Kind.PUNCT, ")"),
  LEFT_BRACE(Kind.PUNCT, "{"),
  RIGHT_BRACE(Kind.PUNCT, "}"),
  LEFT_BRACKET(Kind.PUNCT, "["),
  RIGHT_BRACKET(Kind.PUNCT, "]"),
  COMMA(Kind.PUNCT, ","),
  EQL(Kind.PUNCT, "="),
  COLON(Kind.PUNCT, ":"),

  ADD(Kind.OPERATOR, "+"),
  SUB(Kind.OPERATOR, "-"),
  MUL(Kind.OPERATOR, "*"),
  DIV(Kind.OPERATOR, "/"),
  MOD(Kind.OPERATOR, "%"),
  POW(Kind.OPERATOR, "^"),
  EQLC(Kind.OPERATOR, "=="),
  NEQ(Kind.OPERATOR, "!="),
  LTE(Kind.OPERATOR, "<="),
  LSS(Kind.OPERATOR, "<"),
  GTE(Kind.OPERATOR, ">="),
  GTR(Kind.OPERATOR, ">"),
  TRIM_UPPER(Kind.OPERATOR, "</"),
  TRIM_LOWER(Kind.OPERATOR, ">/"),
  EQL_REGEX(Kind.OPERATOR, "=~"),
  NEQ_REGEX(Kind.OPERATOR, "!~"),
  LAND(Kind.OPERATOR, "and"),
  LOR(Kind.OPERATOR, "or"),
  LUNLESS(Kind.OPERATOR, "unless"),
  ATAN2(Kind.OPERATOR, "atan2"),
  AT(Kind.OPERATOR, "@"),

  AGGREGATOR(Kind.AGGREGATOR, null),

  BOOL(Kind.KEYWORD, "bool"),
  BY(Kind.KEYWORD, "by"),
  GROUP_LEFT(Kind.KEYWORD, "group_left"),
  GROUP_RIGHT(Kind.KEYWORD, "group_right"),
  FILL(Kind.KEYWORD, "fill"),
  FILL_LEFT(Kind.KEYWORD, "fill_left"),
  FILL_RIGHT(Kind.KEYWORD, "fill_right"),
  IGNORING(Kind.KEYWORD, "ignoring"),
  OFFSET(Kind.KEYWORD, "offset"),
  SMOOTHED(Kind.KEYWORD, "smoothed"),
  ANCHORED(Kind.KEYWORD, "anchored"),
  ON(Kind.KEYWORD, "on"),
  WITHOUT(Kind.KEYWORD, "without"),

  START(Kind.PREPROCESSOR, "start"),
  END(Kind.PREPROCESSOR, "end"),
  STEP(Kind.PREPROCESSOR, "step"),
  RANGE(Kind.PREPROCESSOR, "range"),
  MAX_OF(Kind.PREPROCESSOR, "max_of"),
  MIN_OF(Kind.PREPROCESSOR, "min_of");

  enum Kind {
    OTHER,
    PUNCT,
    OPERATOR,
    AGGREGATOR,
    KEYWORD,
    PREPROCESSOR
  }

  final Kind kind;
  /** The canonical spelling, for keywords the lookup key (lower case). */
  final String text;

  TokenType(Kind kind, String text) {
    this.kind = kind;
    this.text = text;
  }

  /** The keyword a (lower-cased) word lexes to outside braces, or null for an identifier. */
  static TokenType keyword(String lower) {
    return switch (lower) {
      case "and" -> LAND;
      case "or" -> LOR;
      case "unless" -> LUNLESS;
      case "atan2" -> ATAN2;
      case "offset" -> OFFSET;
      case "smoothed" -> SMOOTHED;
      case "anchored" -> ANCHORED;
      case "by" -> BY;
      case "without" -> WITHOUT;
      case "on" -> ON;
      case "ignoring" -> IGNORING;
      case "group_left" -> GROUP_LEFT;
      case "group_right" -> GROUP_RIGHT;
      case "fill" -> FILL;
      case "fill_left" -> FILL_LEFT;
      case "fill_right" -> FILL_RIGHT;
      case "bool" -> BOOL;
      case "start" -> START;
      case "end" -> END;
      case "step" -> STEP;
      case "range" -> RANGE;
      case "max_of" -> MAX_OF;
      case "min_of" -> MIN_OF;
      case "inf", "nan" -> NUMBER;
      default -> AggregateOp.byName(lower) != null ? AGGREGATOR : null;
    };
  }
}
