package dev.vigil.promql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * The PromQL lexer, a hand-written state machine that follows Prometheus's {@code lex.go} state
 * by state, so that the same inputs fail with the same messages at the same positions. The token
 * stream ends with {@link TokenType#EOF} or, on the first lexical error, with one {@link
 * TokenType#ERROR} token whose position is the start of the offending token.
 *
 * <p>Brackets switch to a duration-expression mode: after {@code [} only numbers, durations,
 * arithmetic, parentheses, {@code :}, {@code ,} and the keywords step/range/min_of/max_of
 * (case-insensitive) are accepted.
 */
final class Lexer {
  private static final int EOF = -1;
  private static final int RUNE_ERROR = 0xFFFD;

  private enum State {
    STATEMENTS,
    INSIDE_BRACES,
    DURATION_EXPR
  }

  private final String input;
  private final List<Token> tokens = new ArrayList<>();
  private State state = State.STATEMENTS;
  private boolean done;
  private int pos;
  private int start;
  private int width;
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;
  private boolean gotDuration;

  private Lexer(String input) {
    this.input = input;
  }

  /** All tokens of {@code input}, comments dropped, ending with EOF or ERROR. */
  static List<Token> lex(String input) {
    Lexer l = new Lexer(input);
    while (!l.done) {
      switch (l.state) {
        case STATEMENTS -> l.lexStatements();
        case INSIDE_BRACES -> l.lexInsideBraces();
        case DURATION_EXPR -> l.lexDurationExpr();
      }
    }
    return l.tokens;
  }

  private int next() {
    if (pos >= input.length()) {
      width = 0;
      return EOF;
    }
    int c = input.codePointAt(pos);
    width = Character.charCount(c);
    pos += width;
    if (c >= 0xD800 && c <= 0xDFFF) {
      return RUNE_ERROR; // a lone surrogate is not valid text
    }
    return c;
  }

  private int peek() {
    int r = next();
    backup();
    return r;
  }

  /** Steps back over the rune last read by {@link #next()} (as Go's lexer, once per next). */
  private void backup() {
    pos -= width;
  }

  private void emit(TokenType t) {
    tokens.add(new Token(t, start, input.substring(start, pos)));
    start = pos;
  }

  private void ignore() {
    start = pos;
  }

  private void error(String msg) {
    tokens.add(new Token(TokenType.ERROR, start, msg));
    done = true;
  }

  private boolean accept(String valid) {
    int r = next();
    if (r >= 0 && valid.indexOf(r) >= 0) {
      return true;
    }
    backup();
    return false;
  }

  private boolean is(String valid) {
    int r = peek();
    return r >= 0 && valid.indexOf(r) >= 0;
  }

  private void acceptRun(String valid) {
    while (true) {
      int r = next();
      if (r < 0 || valid.indexOf(r) < 0) {
        break;
      }
    }
    backup();
  }

  private void skipSpaces() {
    while (isSpace(peek())) {
      next();
    }
    ignore();
  }

  private boolean atComment() {
    return input.startsWith("#", pos);
  }

  private void skipComment() {
    while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') {
      pos++;
    }
    ignore();
  }

  private void lexStatements() {
    if (braceOpen) {
      state = State.INSIDE_BRACES;
      return;
    }
    if (atComment()) {
      skipComment();
      return;
    }
    int r = next();
    switch (r) {
      case EOF -> {
        if (parenDepth != 0) {
          error("unclosed left parenthesis");
        } else if (bracketOpen) {
          error("unclosed left bracket");
        } else {
          emit(TokenType.EOF);
          done = true;
        }
      }
      case ',' -> emit(TokenType.COMMA);
      case ' ', '\t', '\n', '\r' -> skipSpaces();
      case '*' -> emit(TokenType.MUL);
      case '/' -> emit(TokenType.DIV);
      case '%' -> emit(TokenType.MOD);
      case '+' -> emit(TokenType.ADD);
      case '-' -> emit(TokenType.SUB);
      case '^' -> emit(TokenType.POW);
      case '=' -> {
        int t = peek();
        if (t == '=') {
          next();
          emit(TokenType.EQLC);
        } else if (t == '~') {
          error("unexpected character after '=': " + GoStrings.quoteRune(t));
        } else {
          emit(TokenType.EQL);
        }
      }
      case '!' -> {
        int t = next();
        if (t != '=') {
          error("unexpected character after '!': " + GoStrings.quoteRune(t));
        } else {
          emit(TokenType.NEQ);
        }
      }
      case '<' -> {
        if (accept("=")) {
          emit(TokenType.LTE);
        } else if (accept("/")) {
          emit(TokenType.TRIM_UPPER);
        } else {
          emit(TokenType.LSS);
        }
      }
      case '>' -> {
        if (accept("=")) {
          emit(TokenType.GTE);
        } else if (accept("/")) {
          emit(TokenType.TRIM_LOWER);
        } else {
          emit(TokenType.GTR);
        }
      }
      case '"', '\'' -> lexString(r);
      case '`' -> lexRawString();
      case '(' -> {
        emit(TokenType.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        parenDepth--;
        if (parenDepth < 0) {
          ignore(); // Prometheus reports the position after the parenthesis
          error("unexpected right parenthesis " + GoStrings.quoteRune(r));
        } else {
          emit(TokenType.RIGHT_PAREN);
        }
      }
      case '{' -> {
        emit(TokenType.LEFT_BRACE);
        braceOpen = true;
        state = State.INSIDE_BRACES;
      }
      case '[' -> {
        if (bracketOpen) {
          error("unexpected left bracket " + GoStrings.quoteRune(r));
          return;
        }
        gotColon = false;
        emit(TokenType.LEFT_BRACKET);
        skipSpaces();
        bracketOpen = true;
        state = State.DURATION_EXPR;
      }
      case ']' -> {
        if (!bracketOpen) {
          error("unexpected right bracket " + GoStrings.quoteRune(r));
          return;
        }
        emit(TokenType.RIGHT_BRACKET);
        bracketOpen = false;
      }
      case '@' -> emit(TokenType.AT);
      default -> {
        if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup();
          lexNumberOrDuration();
        } else if (isAlpha(r) || r == ':') {
          if (!bracketOpen) {
            backup();
            lexKeywordOrIdentifier();
          } else if (r == ':') {
            if (gotColon) {
              error("unexpected colon " + GoStrings.quoteRune(r));
              return;
            }
            emit(TokenType.COLON);
            gotColon = true;
          } else if (!(isDurationKeywordStartChar(r) && scanDurationKeyword())) {
            error("unexpected character: " + GoStrings.quoteRune(r) + ", expected "
                + GoStrings.quoteRune(':'));
          }
        } else {
          error("unexpected character: " + GoStrings.quoteRune(r));
        }
      }
    }
  }

  private void lexInsideBraces() {
    if (atComment()) {
      skipComment();
      return;
    }
    int r = next();
    switch (r) {
      case EOF -> error("unexpected end of input inside braces");
      case ' ', '\t', '\n', '\r' -> skipSpaces();
      case ',' -> emit(TokenType.COMMA);
      case '"', '\'' -> lexString(r);
      case '`' -> lexRawString();
      case '=' -> {
        if (accept("~")) {
          emit(TokenType.EQL_REGEX);
        } else {
          emit(TokenType.EQL);
        }
      }
      case '!' -> {
        int nr = next();
        if (nr == '~') {
          emit(TokenType.NEQ_REGEX);
        } else if (nr == '=') {
          emit(TokenType.NEQ);
        } else {
          error("unexpected character after '!' inside braces: " + GoStrings.quoteRune(nr));
        }
      }
      case '{' -> error("unexpected left brace " + GoStrings.quoteRune(r));
      case '}' -> {
        emit(TokenType.RIGHT_BRACE);
        braceOpen = false;
        state = State.STATEMENTS;
      }
      default -> {
        if (isAlpha(r)) {
          while (isAlphaNumeric(next())) {
            // absorb
          }
          backup();
          emit(TokenType.IDENTIFIER);
        } else {
          error("unexpected character inside braces: " + GoStrings.quoteRune(r));
        }
      }
    }
  }

  private void lexDurationExpr() {
    int r = next();
    switch (r) {
      case EOF -> error("unexpected end of input in duration expression");
      case ']' -> {
        emit(TokenType.RIGHT_BRACKET);
        bracketOpen = false;
        gotColon = false;
        state = State.STATEMENTS;
      }
      case ':' -> {
        if (!gotDuration) {
          ignore();
          error("unexpected colon before duration in duration expression");
        } else if (gotColon) {
          ignore();
          error("unexpected repeated colon in duration expression");
        } else {
          emit(TokenType.COLON);
          gotColon = true;
        }
      }
      case '(' -> {
        emit(TokenType.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        parenDepth--;
        if (parenDepth < 0) {
          ignore();
          error("unexpected right parenthesis " + GoStrings.quoteRune(r));
        } else {
          emit(TokenType.RIGHT_PAREN);
        }
      }
      case ' ', '\t', '\n', '\r' -> skipSpaces();
      case '+' -> emit(TokenType.ADD);
      case '-' -> emit(TokenType.SUB);
      case '*' -> emit(TokenType.MUL);
      case '/' -> emit(TokenType.DIV);
      case '%' -> emit(TokenType.MOD);
      case '^' -> emit(TokenType.POW);
      case ',' -> emit(TokenType.COMMA);
      default -> {
        if (isDurationKeywordStartChar(r)) {
          if (!scanDurationKeyword()) {
            error("unexpected character in duration expression: " + GoStrings.quoteRune(r));
          }
        } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup();
          gotDuration = true;
          lexNumberOrDuration();
          state = State.STATEMENTS; // as in Prometheus: the rest of the bracket lexes normally
        } else {
          error("unexpected character in duration expression: " + GoStrings.quoteRune(r));
        }
      }
    }
  }

  private void lexString(int quote) {
    while (true) {
      int r = next();
      if (r == '\\') {
        if (!lexEscape(quote)) {
          return;
        }
      } else if (r == RUNE_ERROR) {
        error("invalid UTF-8 rune");
        return;
      } else if (r == EOF || r == '\n') {
        error("unterminated quoted string");
        return;
      } else if (r == quote) {
        emit(TokenType.STRING);
        return;
      }
    }
  }

  /** Scans one escape after the backslash; false (after reporting) when it is invalid. */
  private boolean lexEscape(int quote) {
    int ch = next();
    int n;
    int base;
    int max;
    switch (ch) {
      case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
        return true;
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        n = 3;
        base = 8;
        max = 255;
      }
      case 'x' -> {
        ch = next();
        n = 2;
        base = 16;
        max = 255;
      }
      case 'u' -> {
        ch = next();
        n = 4;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case 'U' -> {
        ch = next();
        n = 8;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case EOF -> {
        error("escape sequence not terminated");
        return false;
      }
      default -> {
        if (ch == quote) {
          return true;
        }
        error("unknown escape sequence " + GoStrings.formatU(ch));
        return false;
      }
    }
    long x = 0;
    while (n > 0) {
      int d = digitVal(ch);
      if (d >= base) {
        if (ch == EOF) {
          error("escape sequence not terminated");
        } else {
          error("illegal character " + GoStrings.formatU(ch) + " in escape sequence");
        }
        return false;
      }
      x = x * base + d;
      n--;
      if (n > 0) {
        ch = next();
      }
    }
    if (x > max || (0xD800 <= x && x < 0xE000)) {
      error("escape sequence is an invalid Unicode code point");
      return false;
    }
    return true;
  }

  private static int digitVal(int ch) {
    if ('0' <= ch && ch <= '9') {
      return ch - '0';
    }
    if ('a' <= ch && ch <= 'f') {
      return ch - 'a' + 10;
    }
    if ('A' <= ch && ch <= 'F') {
      return ch - 'A' + 10;
    }
    return 16;
  }

  private void lexRawString() {
    while (true) {
      int r = next();
      if (r == RUNE_ERROR) {
        error("invalid UTF-8 rune");
        return;
      } else if (r == EOF) {
        error("unterminated raw string");
        return;
      } else if (r == '`') {
        emit(TokenType.STRING);
        return;
      }
    }
  }

  private void lexNumberOrDuration() {
    if (scanNumber()) {
      emit(TokenType.NUMBER);
      return;
    }
    if (acceptRemainingDuration()) {
      backup();
      emit(TokenType.DURATION);
      return;
    }
    error("bad number or duration syntax: " + GoStrings.quote(input.substring(start, pos)));
  }

  private boolean acceptRemainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s"); // ms; bad units like "hs" are caught when the duration is parsed
    while (accept("0123456789")) {
      while (accept("0123456789")) {
        // absorb
      }
      if (!accept("smhdw")) { // y must come first
        return false;
      }
      accept("s");
    }
    return !isAlphaNumeric(next());
  }

  /** Scans a number; the text need not be valid, the parser checks it. */
  private boolean scanNumber() {
    int initialPos = pos;
    String digitPattern = "0123456789";
    if (accept("0") && accept("xX")) {
      accept("_");
      digitPattern = "0123456789abcdefABCDEF";
    }
    accept(".");
    accept(digitPattern);
    boolean dotConsumed = false;
    boolean exponentConsumed = false;
    while (is(digitPattern + "._eE")) {
      if (is(".") && dotConsumed) {
        accept(".");
        return false;
      }
      if (is("eE") && exponentConsumed) {
        accept("eE");
        return false;
      }
      if (accept(".")) {
        dotConsumed = true;
        if (accept("_.")) {
          return false;
        }
        if (digitPattern.length() > 10) { // fractional hexadecimal literals are not allowed
          return false;
        }
        continue;
      }
      if (accept("eE")) {
        exponentConsumed = true;
        accept("+-");
        if (accept("._eE") || peek() == EOF) {
          return false;
        }
        continue;
      }
      if (accept("_")) {
        if (accept("._eE") || peek() == EOF) {
          return false;
        }
        continue;
      }
      acceptRun(digitPattern);
    }
    if (pos == initialPos) {
      return false;
    }
    return !isAlphaNumeric(peek());
  }

  private static boolean isDurationKeywordStartChar(int r) {
    int c = Character.toLowerCase(r);
    return c == 's' || c == 'r' || c == 'm';
  }

  private boolean scanDurationKeyword() {
    while (isAlpha(next())) {
      // absorb
    }
    backup();
    String word = input.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
    TokenType t = switch (word) {
      case "step" -> TokenType.STEP;
      case "range" -> TokenType.RANGE;
      case "max_of" -> TokenType.MAX_OF;
      case "min_of" -> TokenType.MIN_OF;
      default -> null;
    };
    if (t == null) {
      return false;
    }
    emit(t);
    return true;
  }

  private void lexKeywordOrIdentifier() {
    while (true) {
      int r = next();
      if (!(isAlphaNumeric(r) || r == ':')) {
        break;
      }
    }
    backup();
    String word = input.substring(start, pos);
    TokenType kw = TokenType.keyword(word.toLowerCase(java.util.Locale.ROOT));
    if (kw != null) {
      // fill/fill_left/fill_right are keywords only before "(", so "fill + fill" still works.
      if ((kw == TokenType.FILL || kw == TokenType.FILL_LEFT || kw == TokenType.FILL_RIGHT)
          && !followedByLeftParen()) {
        emit(TokenType.IDENTIFIER);
      } else {
        emit(kw);
      }
    } else if (word.indexOf(':') < 0) {
      emit(TokenType.IDENTIFIER);
    } else {
      emit(TokenType.METRIC_IDENTIFIER);
    }
  }

  private boolean followedByLeftParen() {
    for (int p = pos; p < input.length(); p++) {
      char c = input.charAt(p);
      if (!isSpace(c)) {
        return c == '(';
      }
    }
    return false;
  }

  static boolean isSpace(int r) {
    return r == ' ' || r == '\t' || r == '\n' || r == '\r';
  }

  static boolean isAlphaNumeric(int r) {
    return isAlpha(r) || isDigit(r);
  }

  static boolean isDigit(int r) {
    return '0' <= r && r <= '9';
  }

  static boolean isAlpha(int r) {
    return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z');
  }
}
