package dev.vigil.promql.parser;

/**
 * Duration expressions in ranges, subquery steps and offsets: literals, {@code step()},
 * {@code range()}, {@code min_of}/{@code max_of}, parentheses and {@code + - * / % ^}, with
 * Prometheus's checks (positive ranges, range of int64 nanoseconds, division by literal zero,
 * the experimental-feature flag). Values are seconds.
 */
final class DurationParser {
  /** Where a duration expression stands, which decides the wording of syntax errors. */
  enum DurationContext {
    RANGE("subquery or range selector", "number, duration, step(), or range()"),
    STEP("subquery selector", "number, duration, step(), range(), or \"]\""),
    OFFSET("offset", "number, duration, step(), or range()");

    final String context;
    final String expected;

    DurationContext(String context, String expected) {
      this.context = context;
      this.expected = expected;
    }
  }

  /** Unary minus/plus binds like {@code *}: its operand extends over {@code ^} only. */
  private static final int UNARY_OPERAND_PRECEDENCE = BinaryOp.POW.precedence();

  /** Largest |seconds| a duration may have: Go's time.Duration holds int64 nanoseconds. */
  private static final double MAX_DURATION_SECONDS = 9.223372036854775807e9;

  private final TokenCursor c;
  private final ParserOptions options;

  DurationParser(TokenCursor cursor, ParserOptions options) {
    this.c = cursor;
    this.options = options;
  }

  private static int precedence(DurationExpr.Op op) {
    return switch (op) {
      case ADD, SUB -> BinaryOp.ADD.precedence();
      case MUL, DIV, MOD -> BinaryOp.MUL.precedence();
      default -> BinaryOp.POW.precedence();
    };
  }

  /**
   * The offset grammar: a plain (signed) literal, step(), range(), min_of/max_of(..) or a signed
   * parenthesis end the offset, so {@code foo offset 2 ^ 2} is {@code (foo offset 2) ^ 2}; an
   * unsigned parenthesis may be followed by more duration arithmetic, which goyacc shifts.
   */
  Expr parseOffsetDuration() {
    DurationContext ctx = DurationContext.OFFSET;
    Token t = c.peek();
    switch (t.type()) {
      case NUMBER, DURATION, STEP, RANGE, MIN_OF, MAX_OF -> {
        return parseDurationAtom(ctx);
      }
      case LEFT_PAREN -> {
        return parseDurationRest(parseDurationAtom(ctx), 0, ctx);
      }
      case ADD, SUB -> {
        TokenType n = c.peekType(1);
        switch (n) {
          case NUMBER, DURATION -> {
            c.next();
            Token lit = c.next();
            double v = lit.type() == TokenType.NUMBER ? c.number(lit) : c.durationSeconds(lit);
            if (t.type() == TokenType.SUB) {
              v = -v;
            }
            if (outOfRange(v)) {
              c.error(t.range(), "duration out of range");
              v = 0;
            }
            return new NumberLiteral(v, true, new PositionRange(t.pos(), lit.end()));
          }
          case STEP, RANGE, MIN_OF, MAX_OF -> {
            c.next();
            Expr atom = parseDurationAtom(ctx);
            if (t.type() == TokenType.SUB) {
              return new DurationExpr(DurationExpr.Op.NEG, atom, null, false,
                  new PositionRange(t.pos(), atom.pos().end()));
            }
            return atom;
          }
          case LEFT_PAREN -> {
            c.next();
            Token lp = c.next();
            Expr inner = parseDuration(0, ctx);
            expectIn(TokenType.RIGHT_PAREN, ctx);
            return applyUnary(t, wrap(inner, lp.pos(), c.prevEnd()));
          }
          default -> {
            return parseDuration(0, ctx);
          }
        }
      }
      default -> throw c.unexpected(ctx.context, ctx.expected);
    }
  }

  private Token expectIn(TokenType type, DurationContext ctx) {
    if (c.peek().type() != type) {
      throw c.unexpected(ctx.context, ctx.expected);
    }
    return c.next();
  }

  Expr parseDuration(int minPrecedence, DurationContext ctx) {
    int entered = c.enter();
    try {
      return parseDurationUnary(minPrecedence, ctx);
    } finally {
      c.leave(entered);
    }
  }

  private Expr parseDurationUnary(int minPrecedence, DurationContext ctx) {
    Token t = c.peek();
    Expr lhs;
    if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
      c.next();
      lhs = applyUnary(t, parseDuration(UNARY_OPERAND_PRECEDENCE, ctx));
    } else {
      lhs = parseDurationAtom(ctx);
    }
    return parseDurationRest(lhs, minPrecedence, ctx);
  }

  private Expr parseDurationRest(Expr lhs, int minPrecedence, DurationContext ctx) {
    while (true) {
      Token t = c.peek();
      DurationExpr.Op op = switch (t.type()) {
        case ADD -> DurationExpr.Op.ADD;
        case SUB -> DurationExpr.Op.SUB;
        case MUL -> DurationExpr.Op.MUL;
        case DIV -> DurationExpr.Op.DIV;
        case MOD -> DurationExpr.Op.MOD;
        case POW -> DurationExpr.Op.POW;
        default -> null;
      };
      if (op == null) {
        return lhs;
      }
      int prec = precedence(op);
      if (prec < minPrecedence) {
        return lhs;
      }
      c.next();
      c.enter();
      Expr rhs = parseDuration(op == DurationExpr.Op.POW ? prec : prec + 1, ctx);
      experimental(lhs);
      PositionRange pos = new PositionRange(lhs.pos().start(), rhs.pos().end());
      if ((op == DurationExpr.Op.DIV || op == DurationExpr.Op.MOD)
          && rhs instanceof NumberLiteral nl && nl.value() == 0) {
        c.error(t.range(), op == DurationExpr.Op.DIV ? "division by zero" : "modulo by zero");
        lhs = new NumberLiteral(0, false, pos);
        continue;
      }
      lhs = new DurationExpr(op, lhs, rhs, false, pos);
    }
  }

  private Expr parseDurationAtom(DurationContext ctx) {
    Token t = c.peek();
    switch (t.type()) {
      case NUMBER, DURATION -> {
        c.next();
        double v = t.type() == TokenType.NUMBER ? c.number(t) : c.durationSeconds(t);
        if (outOfRange(v)) {
          c.error(t.range(), "duration out of range");
          v = 0;
        }
        return new NumberLiteral(v, t.type() == TokenType.DURATION, t.range());
      }
      case STEP, RANGE -> {
        c.next();
        expectIn(TokenType.LEFT_PAREN, ctx);
        expectIn(TokenType.RIGHT_PAREN, ctx);
        DurationExpr de = new DurationExpr(
            t.type() == TokenType.STEP ? DurationExpr.Op.STEP : DurationExpr.Op.RANGE,
            null, null, false, new PositionRange(t.pos(), c.prevEnd()));
        experimental(de);
        return de;
      }
      case MIN_OF, MAX_OF -> {
        c.next();
        expectIn(TokenType.LEFT_PAREN, ctx);
        Expr a = parseDuration(0, ctx);
        expectIn(TokenType.COMMA, ctx);
        Expr b = parseDuration(0, ctx);
        expectIn(TokenType.RIGHT_PAREN, ctx);
        DurationExpr de = new DurationExpr(
            t.type() == TokenType.MIN_OF ? DurationExpr.Op.MIN_OF : DurationExpr.Op.MAX_OF,
            a, b, false, new PositionRange(t.pos(), c.prevEnd()));
        experimental(de);
        return de;
      }
      case LEFT_PAREN -> {
        c.next();
        Expr inner = parseDuration(0, ctx);
        expectIn(TokenType.RIGHT_PAREN, ctx);
        experimental(inner);
        return wrap(inner, t.pos(), c.prevEnd());
      }
      default -> throw c.unexpected(ctx.context, ctx.expected);
    }
  }

  /** Marks a parenthesised duration; a bare literal gets a unary-plus node to carry the mark. */
  private static Expr wrap(Expr e, int start, int end) {
    if (e instanceof DurationExpr de) {
      return new DurationExpr(de.op(), de.lhs(), de.rhs(), true, de.pos());
    }
    return new DurationExpr(DurationExpr.Op.POS, e, null, true, new PositionRange(start, end));
  }

  private Expr applyUnary(Token op, Expr e) {
    boolean negate = op.type() == TokenType.SUB;
    if (e instanceof NumberLiteral nl) {
      double v = negate ? -nl.value() : nl.value();
      if (outOfRange(v)) {
        c.error(op.range(), "duration out of range");
        return new NumberLiteral(0, nl.duration(), nl.pos());
      }
      return new NumberLiteral(v, nl.duration(), new PositionRange(op.pos(), nl.pos().end()));
    }
    if (negate) {
      return new DurationExpr(DurationExpr.Op.NEG, e, null, false,
          new PositionRange(op.pos(), e.pos().end()));
    }
    return e;
  }

  private void experimental(Expr e) {
    if (!options.durationExpressions()) {
      c.error(e.pos(), "experimental duration expression is not enabled");
    }
  }

  private static boolean outOfRange(double seconds) {
    return seconds > MAX_DURATION_SECONDS || seconds < -MAX_DURATION_SECONDS;
  }

  static boolean isDurationStart(TokenType t) {
    return switch (t) {
      case NUMBER, DURATION, ADD, SUB, LEFT_PAREN, STEP, RANGE, MIN_OF, MAX_OF -> true;
      default -> false;
    };
  }

  /** A range or step written as a plain literal must be positive. */
  Expr positive(Expr d) {
    if (d instanceof NumberLiteral nl && !(nl.value() > 0)) {
      c.error(nl.pos(), "duration must be greater than 0");
      return new NumberLiteral(0, true, nl.pos());
    }
    return d;
  }

  /** Plain literals in range/offset/step position print as durations: mark them so. */
  static Expr asDuration(Expr d) {
    if (d instanceof NumberLiteral nl && !nl.duration()) {
      return new NumberLiteral(nl.value(), true, nl.pos());
    }
    return d;
  }
}
