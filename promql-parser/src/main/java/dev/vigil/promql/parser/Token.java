package dev.vigil.promql.parser;

/**
 * One lexed token. For {@link TokenType#ERROR} {@code val} is the lexer's error message.
 *
 * @param pos offset of the first character in the query
 */
record Token(TokenType type, int pos, String val) {
  int end() {
    return type == TokenType.ERROR ? pos : pos + val.length();
  }

  PositionRange range() {
    return new PositionRange(pos, end());
  }

  /** How Prometheus names this token in "unexpected ..." messages ({@code Item.desc()}). */
  String describe() {
    return switch (type) {
      case EOF -> "end of input";
      case ERROR -> val;
      case IDENTIFIER -> "identifier " + GoStrings.quote(val);
      case METRIC_IDENTIFIER -> "metric identifier " + GoStrings.quote(val);
      case STRING -> "string " + shortQuoted();
      case NUMBER -> "number " + shortQuoted();
      case DURATION -> "duration " + shortQuoted();
      default -> switch (type.kind) {
        case KEYWORD -> "<" + val + ">";
        case OPERATOR -> "<op:" + val + ">";
        case AGGREGATOR -> "<aggr:" + val + ">";
        default -> shortQuoted();
      };
    };
  }

  /** Go's {@code %.10q...} for long values, {@code %q} otherwise. */
  private String shortQuoted() {
    if (val.length() > 10) {
      int cut = val.offsetByCodePoints(0, Math.min(10, val.codePointCount(0, val.length())));
      return GoStrings.quote(val.substring(0, cut)) + "...";
    }
    return GoStrings.quote(val);
  }
}
