package dev.vigil.rules.template;

/**
 * One lexeme of a template, mirroring Go's {@code text/template/parse} item.
 *
 * @param pos  byte-independent char offset into the template text (converted to Go's byte column
 *             only when an error is rendered)
 * @param line 1-based line where the token starts
 */
record Token(Kind kind, int pos, String val, int line) {

  enum Kind {
    ERROR, BOOL, CHAR, CHAR_CONSTANT, COMMENT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER,
    LEFT_DELIM, LEFT_PAREN, NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT,
    VARIABLE,
    // Keywords: Go prints these as "<name>" in error messages.
    BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH;

    boolean isKeyword() {
      return ordinal() >= BLOCK.ordinal();
    }
  }

  /** Go's {@code item.String()}, used verbatim inside "unexpected X in Y" parse errors. */
  @Override
  public String toString() {
    if (kind == Kind.EOF) {
      return "EOF";
    }
    if (kind == Kind.ERROR) {
      return val;
    }
    if (kind.isKeyword()) {
      return "<" + val + ">";
    }
    if (val.codePointCount(0, val.length()) > 10) {
      int end = val.offsetByCodePoints(0, 10);
      return GoFmt.quote(val.substring(0, end)) + "...";
    }
    return GoFmt.quote(val);
  }
}
