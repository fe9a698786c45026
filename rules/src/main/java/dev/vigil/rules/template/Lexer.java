package dev.vigil.rules.template;

import dev.vigil.rules.template.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Go's {@code text/template} lexer, ported state by state so that token boundaries, trim markers
 * and error texts match Go. It runs eagerly and stops after the first error token.
 */
final class Lexer {
  private static final String LEFT = "{{";
  private static final String RIGHT = "}}";
  private static final Map<String, Kind> KEYWORDS = Map.ofEntries(
      Map.entry(".", Kind.DOT), Map.entry("block", Kind.BLOCK), Map.entry("break", Kind.BREAK),
      Map.entry("continue", Kind.CONTINUE), Map.entry("define", Kind.DEFINE),
      Map.entry("else", Kind.ELSE), Map.entry("end", Kind.END), Map.entry("if", Kind.IF),
      Map.entry("range", Kind.RANGE), Map.entry("nil", Kind.NIL),
      Map.entry("template", Kind.TEMPLATE), Map.entry("with", Kind.WITH));
  private static final int EOF = -1;

  private final String input;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private int start;
  private int line = 1;
  private int startLine = 1;
  private int parenDepth;
  private boolean done;

  private Lexer(String input) {
    this.input = input;
  }

  static List<Token> lex(String input) {
    Lexer l = new Lexer(input);
    l.run();
    return l.tokens;
  }

  private void run() {
    State state = this::lexText;
    while (!done) {
      state = state.next();
    }
  }

  @FunctionalInterface
  private interface State {
    State next();
  }

  private int next() {
    if (pos >= input.length()) {
      return EOF;
    }
    int r = input.codePointAt(pos);
    pos += Character.charCount(r);
    if (r == '\n') {
      line++;
    }
    return r;
  }

  private int peek() {
    return pos >= input.length() ? EOF : input.codePointAt(pos);
  }

  private void backup() {
    if (pos > 0) {
      int r = input.codePointBefore(pos);
      pos -= Character.charCount(r);
      if (r == '\n') {
        line--;
      }
    }
  }

  private State emit(Kind kind) {
    tokens.add(new Token(kind, start, input.substring(start, pos), startLine));
    start = pos;
    startLine = line;
    if (kind == Kind.EOF) {
      done = true;
    }
    return null;
  }

  private void ignore() {
    line += count(input, start, pos);
    start = pos;
    startLine = line;
  }

  private State errorf(String message) {
    tokens.add(new Token(Kind.ERROR, start, message, startLine));
    done = true;
    return null;
  }

  private static int count(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static boolean isSpace(int r) {
    return r == ' ' || r == '\t' || r == '\r' || r == '\n';
  }

  static boolean isAlphaNumeric(int r) {
    return r == '_' || Character.isLetter(r) || Character.isDigit(r);
  }

  private boolean hasLeftTrimMarker(int at) {
    return at + 1 < input.length() && input.charAt(at) == '-' && isSpace(input.charAt(at + 1));
  }

  private boolean hasRightTrimMarker(int at) {
    return at + 1 < input.length() && isSpace(input.charAt(at)) && input.charAt(at + 1) == '-';
  }

  private State lexText() {
    int x = input.indexOf(LEFT, pos);
    if (x >= 0) {
      if (x > pos) {
        pos = x;
        int trim = 0;
        if (hasLeftTrimMarker(pos + LEFT.length())) {
          int i = pos;
          while (i > start && isSpace(input.charAt(i - 1))) {
            i--;
          }
          trim = pos - i;
        }
        pos -= trim;
        line += count(input, start, pos);
        Token text = new Token(Kind.TEXT, start, input.substring(start, pos), startLine);
        start = pos;
        startLine = line;
        pos += trim;
        ignore();
        if (!text.val().isEmpty()) {
          tokens.add(text);
        }
      }
      return this::lexLeftDelim;
    }
    pos = input.length();
    if (pos > start) {
      line += count(input, start, pos);
      emit(Kind.TEXT);
    }
    emit(Kind.EOF);
    return null;
  }

  private State lexLeftDelim() {
    pos += LEFT.length();
    boolean trim = hasLeftTrimMarker(pos);
    int afterMarker = trim ? 2 : 0;
    if (input.startsWith("/*", pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return this::lexComment;
    }
    Token delim = new Token(Kind.LEFT_DELIM, start, input.substring(start, pos), startLine);
    start = pos;
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    tokens.add(delim);
    return this::lexInsideAction;
  }

  private State lexComment() {
    pos += 2;
    int x = input.indexOf("*/", pos);
    if (x < 0) {
      return errorf("unclosed comment");
    }
    pos = x + 2;
    int delim = atRightDelim();
    if (delim == 0) {
      return errorf("comment ends before closing delimiter");
    }
    if (delim == 2) {
      pos += 2;
    }
    pos += RIGHT.length();
    if (delim == 2) {
      pos = skipLeadingSpace(pos);
    }
    ignore();
    return this::lexText;
  }

  /** 0: not at a right delimiter; 1: at "}}"; 2: at " -}}". */
  private int atRightDelim() {
    if (hasRightTrimMarker(pos) && input.startsWith(RIGHT, pos + 2)) {
      return 2;
    }
    return input.startsWith(RIGHT, pos) ? 1 : 0;
  }

  private int skipLeadingSpace(int at) {
    while (at < input.length() && isSpace(input.charAt(at))) {
      at++;
    }
    return at;
  }

  private State lexRightDelim() {
    boolean trim = atRightDelim() == 2;
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length();
    Token delim = new Token(Kind.RIGHT_DELIM, start, input.substring(start, pos), startLine);
    tokens.add(delim);
    start = pos;
    startLine = line;
    if (trim) {
      pos = skipLeadingSpace(pos);
      ignore();
    }
    return this::lexText;
  }

  private State lexInsideAction() {
    int delim = atRightDelim();
    if (delim != 0) {
      if (parenDepth == 0) {
        return this::lexRightDelim;
      }
      return errorf("unclosed left paren");
    }
    int r = next();
    if (r == EOF) {
      return errorf("unclosed action");
    } else if (isSpace(r)) {
      backup();
      return this::lexSpace;
    } else if (r == '=') {
      emit(Kind.ASSIGN);
    } else if (r == ':') {
      if (next() != '=') {
        return errorf("expected :=");
      }
      emit(Kind.DECLARE);
    } else if (r == '|') {
      emit(Kind.PIPE);
    } else if (r == '"') {
      return lexQuote();
    } else if (r == '`') {
      return lexRawQuote();
    } else if (r == '$') {
      return lexVariable();
    } else if (r == '\'') {
      return lexChar();
    } else if (r == '.' && pos < input.length()
        && (input.charAt(pos) < '0' || input.charAt(pos) > '9')) {
      return lexFieldOrVariable(Kind.FIELD);
    } else if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
      backup();
      return lexNumber();
    } else if (isAlphaNumeric(r)) {
      backup();
      return lexIdentifier();
    } else if (r == '(') {
      parenDepth++;
      emit(Kind.LEFT_PAREN);
    } else if (r == ')') {
      parenDepth--;
      if (parenDepth < 0) {
        return errorf("unexpected right paren");
      }
      emit(Kind.RIGHT_PAREN);
    } else if (r <= 0x7f && r >= 0x20 && r != 0x7f) {
      emit(Kind.CHAR);
    } else {
      return errorf("unrecognized character in action: " + GoFmt.unicodeVerb(r));
    }
    return this::lexInsideAction;
  }

  private State lexSpace() {
    int numSpaces = 0;
    while (isSpace(peek())) {
      next();
      numSpaces++;
    }
    // A space followed by "-}}" is a trim marker, not an argument separator.
    if (hasRightTrimMarker(pos - 1) && input.startsWith(RIGHT, pos - 1 + 2)) {
      backup();
      if (numSpaces == 1) {
        return this::lexInsideAction;
      }
    }
    emit(Kind.SPACE);
    return this::lexInsideAction;
  }

  private State lexIdentifier() {
    while (true) {
      int r = next();
      if (!isAlphaNumeric(r)) {
        if (r != EOF) {
          backup();
        }
        String word = input.substring(start, pos);
        if (!atTerminator()) {
          return errorf("bad character " + GoFmt.unicodeVerb(r));
        }
        Kind key = KEYWORDS.get(word);
        if (key != null && key != Kind.DOT) {
          emit(key);
        } else if (word.startsWith(".")) {
          emit(Kind.FIELD);
        } else if (word.equals("true") || word.equals("false")) {
          emit(Kind.BOOL);
        } else {
          emit(Kind.IDENTIFIER);
        }
        return this::lexInsideAction;
      }
    }
  }

  private State lexVariable() {
    if (atTerminator()) {
      emit(Kind.VARIABLE);
      return this::lexInsideAction;
    }
    return lexFieldOrVariable(Kind.VARIABLE);
  }

  private State lexFieldOrVariable(Kind kind) {
    if (atTerminator()) {
      emit(kind == Kind.VARIABLE ? Kind.VARIABLE : Kind.DOT);
      return this::lexInsideAction;
    }
    int r;
    while (true) {
      r = next();
      if (!isAlphaNumeric(r)) {
        if (r != EOF) {
          backup();
        }
        break;
      }
    }
    if (!atTerminator()) {
      return errorf("bad character " + GoFmt.unicodeVerb(r));
    }
    emit(kind);
    return this::lexInsideAction;
  }

  private boolean atTerminator() {
    int r = peek();
    if (isSpace(r)) {
      return true;
    }
    switch (r) {
      case EOF, '.', ',', '|', ':', ')', '(' -> {
        return true;
      }
      default -> {
        return input.startsWith(RIGHT, pos);
      }
    }
  }

  private State lexChar() {
    return lexEscapedUntil('\'', "unterminated character constant", Kind.CHAR_CONSTANT);
  }

  private State lexNumber() {
    if (!scanNumber()) {
      return errorf("bad number syntax: " + GoFmt.quote(input.substring(start, pos)));
    }
    int sign = peek();
    if (sign == '+' || sign == '-') {
      if (!scanNumber() || input.charAt(pos - 1) != 'i') {
        return errorf("bad number syntax: " + GoFmt.quote(input.substring(start, pos)));
      }
      emit(Kind.COMPLEX);
    } else {
      emit(Kind.NUMBER);
    }
    return this::lexInsideAction;
  }

  private boolean accept(String valid) {
    int r = next();
    if (r != EOF && valid.indexOf(r) >= 0) {
      return true;
    }
    if (r != EOF) {
      backup();
    }
    return false;
  }

  private void acceptRun(String valid) {
    while (true) {
      int r = next();
      if (r == EOF) {
        return;
      }
      if (valid.indexOf(r) < 0) {
        backup();
        return;
      }
    }
  }

  private boolean scanNumber() {
    accept("+-");
    String digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    acceptRun(digits);
    if (accept(".")) {
      acceptRun(digits);
    }
    if (digits.length() == 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length() == 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    int r = peek();
    if (r != EOF && isAlphaNumeric(r)) {
      next();
      return false;
    }
    return true;
  }

  private State lexQuote() {
    return lexEscapedUntil('"', "unterminated quoted string", Kind.STRING);
  }

  /** A quoted token with backslash escapes that may not span lines: Go's lexChar and lexQuote. */
  private State lexEscapedUntil(char quote, String unterminated, Kind kind) {
    while (true) {
      int r = next();
      if (r == '\\') {
        int e = next();
        if (e != EOF && e != '\n') {
          continue;
        }
        return errorf(unterminated);
      }
      if (r == EOF || r == '\n') {
        return errorf(unterminated);
      }
      if (r == quote) {
        break;
      }
    }
    emit(kind);
    return this::lexInsideAction;
  }

  private State lexRawQuote() {
    while (true) {
      int r = next();
      if (r == EOF) {
        return errorf("unterminated raw quoted string");
      }
      if (r == '`') {
        break;
      }
    }
    emit(Kind.RAW_STRING);
    return this::lexInsideAction;
  }
}
