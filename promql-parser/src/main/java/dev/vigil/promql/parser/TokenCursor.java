package dev.vigil.promql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * The parser's view of the token stream: lookahead, consumption, the error list and the two
 * counters that shape errors (nesting depth, open aggregations). Shared by {@link ExprParser}
 * and {@link DurationParser}; one instance per query.
 */
final class TokenCursor {
  /** Unwinds the descent after a syntax error has been recorded. */
  static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxError() {
      super(null, null, false, false);
    }
  }

  /**
   * Deepest nesting (parentheses, unary and binary chains, duration arithmetic) accepted. The
   * parser, checker and printer recurse over the tree; the limit keeps them far from a stack
   * overflow on a default thread stack. Prometheus has none; real queries stay far below.
   */
  static final int MAX_DEPTH = 500;

  private final String query;
  private final List<Token> tokens;
  private final List<ParseError> errors = new ArrayList<>();
  private int index;
  private int prevEnd;
  private int depth;
  /** Open aggregations: goyacc reports generic syntax errors inside one "in aggregation". */
  private int aggregationDepth;

  TokenCursor(String query) {
    this.query = query;
    this.tokens = Lexer.lex(query);
  }

  List<ParseError> errors() {
    return errors;
  }

  /** End offset of the last consumed token (Prometheus's {@code lastClosing}, roughly). */
  int prevEnd() {
    return prevEnd;
  }

  /** The next token; a lexical error there is recorded and ends the parse. */
  Token peek() {
    Token t = tokens.get(index);
    if (t.type() == TokenType.ERROR) {
      // A lexical error ends the input; Prometheus reports it from the token to the end.
      errors.add(new ParseError(new PositionRange(t.pos(), query.length()), t.val(), query));
      throw new SyntaxError();
    }
    return t;
  }

  /** The type of the token {@code ahead} places on, without reporting lexical errors. */
  TokenType peekType(int ahead) {
    int i = Math.min(index + ahead, tokens.size() - 1);
    return tokens.get(i).type();
  }

  Token next() {
    Token t = peek();
    if (t.type() != TokenType.EOF) {
      index++;
    }
    prevEnd = t.end();
    return t;
  }

  Token expect(TokenType type, String context, String expected) {
    if (peek().type() != type) {
      throw unexpected(context, expected);
    }
    return next();
  }

  void error(PositionRange pos, String message) {
    errors.add(new ParseError(pos, message, query));
  }

  /** Records Prometheus's "unexpected X [in context][, expected Y]" for the next token. */
  SyntaxError unexpected(String context, String expected) {
    Token t = peek();
    if (context.isEmpty() && aggregationDepth > 0) {
      // goyacc's error recovery unwinds to the innermost state with an error rule; inside an
      // aggregation that is "aggregate_op error" unless a nearer one (labels, offset...) exists.
      context = "aggregation";
    }
    StringBuilder sb = new StringBuilder("unexpected ").append(t.describe());
    if (!context.isEmpty()) {
      sb.append(" in ").append(context);
    }
    if (!expected.isEmpty()) {
      sb.append(", expected ").append(expected);
    }
    error(t.range(), sb.toString());
    return new SyntaxError();
  }

  /**
   * Counts one more level of nesting and fails the parse beyond {@link #MAX_DEPTH}.
   *
   * @return the depth now, to hand to {@link #leave(int)}
   */
  int enter() {
    if (++depth > MAX_DEPTH) {
      error(peek().range(), "expression nesting too deep (more than " + MAX_DEPTH + " levels)");
      throw new SyntaxError();
    }
    return depth;
  }

  /** Back to the depth before the {@link #enter()} that returned {@code entered}. */
  void leave(int entered) {
    depth = entered - 1;
  }

  void enterAggregation() {
    aggregationDepth++;
  }

  void leaveAggregation() {
    aggregationDepth--;
  }

  /** A NUMBER token's value; a malformed one is recorded as an error and reads as 0. */
  double number(Token t) {
    try {
      return Literals.parseNumber(t.val());
    } catch (Literals.LiteralException e) {
      error(t.range(), "error parsing number: " + e.getMessage());
      return 0;
    }
  }

  /** A DURATION token in seconds; a malformed one is recorded as an error and reads as 0. */
  double durationSeconds(Token t) {
    try {
      return Literals.parseDuration(t.val()) / 1000.0;
    } catch (Literals.LiteralException e) {
      error(t.range(), e.getMessage());
      return 0;
    }
  }
}
