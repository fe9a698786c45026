package dev.vigil.promql.parser;

import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.promql.parser.DurationParser.DurationContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent, precedence-climbing parser over the lexer's tokens. It accepts the language
 * of Prometheus's {@code generated_parser.y} and resolves its ambiguities the way goyacc does
 * (noted where it matters). Syntax errors stop the parse; semantic errors found while building
 * nodes (unknown function, bad duration, ...) are collected and parsing goes on, as in
 * Prometheus. One instance parses one query.
 */
final class ExprParser {
  /** Precedence of unary minus/plus: that of {@code *}, so {@code -2^2} is {@code -(2^2)}. */
  private static final int UNARY_OPERAND_PRECEDENCE = BinaryOp.POW.precedence();

  private final ParserOptions options;
  private final TokenCursor c;
  private final DurationParser durations;

  ExprParser(String query, ParserOptions options) {
    this.options = options;
    this.c = new TokenCursor(query);
    this.durations = new DurationParser(c, options);
  }

  List<ParseError> errors() {
    return c.errors();
  }

  /** The whole query as one expression, or null after errors. */
  Expr parseQuery() {
    try {
      if (peek().type() == TokenType.EOF) {
        error(new PositionRange(0, 0), "no expression found in input");
        return null;
      }
      Expr e = parseExpr(0);
      if (peek().type() != TokenType.EOF) {
        throw unexpected("", "");
      }
      return e;
    } catch (TokenCursor.SyntaxError e) {
      return null;
    }
  }

  /** {@code name{matchers}}, {@code name} or {@code {matchers}} and nothing else. */
  List<Matcher> parseMetricSelectorOnly() {
    try {
      Token t = peek();
      VectorSelector vs;
      if (t.type() == TokenType.LEFT_BRACE) {
        vs = parseSelector(null);
      } else if (isMetricIdentifier(t.type())) {
        vs = parseSelector(next());
      } else {
        throw unexpected("", "");
      }
      if (peek().type() != TokenType.EOF) {
        throw unexpected("", "");
      }
      return vs.matchers();
    } catch (TokenCursor.SyntaxError e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- token shorthands

  private Token peek() {
    return c.peek();
  }

  private TokenType peekType(int ahead) {
    return c.peekType(ahead);
  }

  private Token next() {
    return c.next();
  }

  private Token expect(TokenType type, String context, String expected) {
    return c.expect(type, context, expected);
  }

  private void error(PositionRange pos, String message) {
    c.error(pos, message);
  }

  private TokenCursor.SyntaxError unexpected(String context, String expected) {
    return c.unexpected(context, expected);
  }

  private static PositionRange span(Expr from, int end) {
    return new PositionRange(from.pos().start(), end);
  }

  // ---------------------------------------------------------------- expressions

  private Expr parseExpr(int minPrecedence) {
    int entered = c.enter();
    try {
      return parseBinary(minPrecedence);
    } finally {
      c.leave(entered);
    }
  }

  private Expr parseBinary(int minPrecedence) {
    Expr lhs = parseUnary();
    while (true) {
      BinaryOp op = binaryOp(peek().type());
      if (op == null || op.precedence() < minPrecedence) {
        return lhs;
      }
      next();
      c.enter(); // a left-associative chain deepens the tree as much as nesting does
      BinaryModifiers mods = parseBinaryModifiers();
      Expr rhs = parseExpr(op.isRightAssociative() ? op.precedence() : op.precedence() + 1);
      PositionRange pos = new PositionRange(lhs.pos().start(), rhs.pos().end());
      if (!options.binopFillModifiers() && (mods.fillLeft != null || mods.fillRight != null)) {
        error(pos, "binop fill modifiers are experimental and not enabled");
      }
      VectorMatching vm = new VectorMatching(mods.card, mods.labels, mods.on, mods.include,
          mods.fillLeft, mods.fillRight);
      lhs = new BinaryExpr(op, lhs, rhs, vm, mods.returnBool, pos);
    }
  }

  private static BinaryOp binaryOp(TokenType t) {
    return switch (t) {
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      case ATAN2 -> BinaryOp.ATAN2;
      case EQLC -> BinaryOp.EQLC;
      case NEQ -> BinaryOp.NEQ;
      case LTE -> BinaryOp.LTE;
      case LSS -> BinaryOp.LSS;
      case GTE -> BinaryOp.GTE;
      case GTR -> BinaryOp.GTR;
      case TRIM_UPPER -> BinaryOp.TRIM_UPPER;
      case TRIM_LOWER -> BinaryOp.TRIM_LOWER;
      case LAND -> BinaryOp.LAND;
      case LOR -> BinaryOp.LOR;
      case LUNLESS -> BinaryOp.LUNLESS;
      default -> null;
    };
  }

  private static final class BinaryModifiers {
    boolean returnBool;
    VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
    List<String> labels = List.of();
    boolean on;
    List<String> include = List.of();
    Double fillLeft;
    Double fillRight;
  }

  /** {@code [bool] [on|ignoring(..) [group_left|group_right[(..)]]] [fill...]}. */
  private BinaryModifiers parseBinaryModifiers() {
    BinaryModifiers m = new BinaryModifiers();
    if (peek().type() == TokenType.BOOL) {
      next();
      m.returnBool = true;
    }
    TokenType t = peek().type();
    if (t == TokenType.ON || t == TokenType.IGNORING) {
      next();
      m.on = t == TokenType.ON;
      m.labels = parseGroupingLabels();
      TokenType g = peek().type();
      if (g == TokenType.GROUP_LEFT || g == TokenType.GROUP_RIGHT) {
        next();
        m.card = g == TokenType.GROUP_LEFT
            ? VectorMatching.Cardinality.MANY_TO_ONE
            : VectorMatching.Cardinality.ONE_TO_MANY;
        if (peek().type() == TokenType.LEFT_PAREN) {
          m.include = parseGroupingLabels();
        }
      }
    }
    switch (peek().type()) {
      case FILL -> {
        next();
        double v = parseFillValue();
        m.fillLeft = v;
        m.fillRight = v;
      }
      case FILL_LEFT -> {
        next();
        m.fillLeft = parseFillValue();
        if (peek().type() == TokenType.FILL_RIGHT) {
          next();
          m.fillRight = parseFillValue();
        }
      }
      case FILL_RIGHT -> {
        next();
        m.fillRight = parseFillValue();
        if (peek().type() == TokenType.FILL_LEFT) {
          next();
          m.fillLeft = parseFillValue();
        }
      }
      default -> { }
    }
    return m;
  }

  /** {@code ( [+|-] number_or_duration )}. */
  private double parseFillValue() {
    expect(TokenType.LEFT_PAREN, "", "");
    boolean negate = false;
    TokenType t = peek().type();
    if (t == TokenType.ADD || t == TokenType.SUB) {
      next();
      negate = t == TokenType.SUB;
    }
    Token n = peek();
    double v;
    if (n.type() == TokenType.NUMBER) {
      v = c.number(next());
    } else if (n.type() == TokenType.DURATION) {
      v = c.durationSeconds(next());
    } else {
      throw unexpected("", "");
    }
    expect(TokenType.RIGHT_PAREN, "", "");
    return negate ? -v : v;
  }

  private Expr parseUnary() {
    Token t = peek();
    if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
      next();
      Expr operand = parseExpr(UNARY_OPERAND_PRECEDENCE);
      PositionRange pos = new PositionRange(t.pos(), operand.pos().end());
      if (operand instanceof NumberLiteral nl) { // folded, as Prometheus does
        double v = t.type() == TokenType.SUB ? -nl.value() : nl.value();
        return new NumberLiteral(v, nl.duration(), pos);
      }
      return new UnaryExpr(t.type() == TokenType.SUB ? BinaryOp.SUB : BinaryOp.ADD, operand, pos);
    }
    return parsePostfix(parsePrimary());
  }

  private static boolean isMetricIdentifier(TokenType t) {
    return switch (t) {
      case IDENTIFIER, METRIC_IDENTIFIER, AGGREGATOR, BY, WITHOUT, OFFSET, LAND, LOR, LUNLESS,
          FILL, FILL_LEFT, FILL_RIGHT, START, END, STEP, RANGE, ANCHORED, SMOOTHED, MAX_OF,
          MIN_OF -> true;
      default -> false;
    };
  }

  private Expr parsePrimary() {
    Token t = peek();
    switch (t.type()) {
      case NUMBER -> {
        next();
        return new NumberLiteral(c.number(t), false, t.range());
      }
      case DURATION -> {
        next();
        return new NumberLiteral(c.durationSeconds(t), true, t.range());
      }
      case STRING -> {
        next();
        return new StringLiteral(GoStrings.unquote(t.val()), t.range());
      }
      case LEFT_PAREN -> {
        next();
        Expr inner = parseExpr(0);
        expect(TokenType.RIGHT_PAREN, "", "");
        return new ParenExpr(inner, new PositionRange(t.pos(), c.prevEnd()));
      }
      case LEFT_BRACE -> {
        return parseSelector(null);
      }
      case AGGREGATOR -> {
        TokenType n = peekType(1);
        if (n == TokenType.LEFT_PAREN || n == TokenType.BY || n == TokenType.WITHOUT) {
          return parseAggregate();
        }
        return parseSelector(next());
      }
      case IDENTIFIER, START, END, STEP, RANGE, MAX_OF, MIN_OF -> {
        if (peekType(1) == TokenType.LEFT_PAREN) {
          return parseCall();
        }
        return parseSelector(next());
      }
      default -> {
        if (isMetricIdentifier(t.type())) {
          return parseSelector(next());
        }
        throw unexpected("", "");
      }
    }
  }

  // ---------------------------------------------------------------- selectors

  /** After the metric name (or null) the optional {@code {...}}; the name matcher goes last. */
  private VectorSelector parseSelector(Token nameTok) {
    int start = nameTok != null ? nameTok.pos() : peek().pos();
    List<Matcher> matchers = new ArrayList<>();
    if (nameTok == null || peek().type() == TokenType.LEFT_BRACE) {
      parseLabelMatchers(matchers);
    }
    String name = null;
    if (nameTok != null) {
      name = nameTok.val();
      matchers.add(Matcher.equal("__name__", name));
    }
    return new VectorSelector(name, matchers, null, null, false, false,
        new PositionRange(start, c.prevEnd()));
  }

  private void parseLabelMatchers(List<Matcher> out) {
    next(); // {
    while (true) {
      if (peek().type() == TokenType.RIGHT_BRACE) {
        next();
        return;
      }
      parseLabelMatcher(out);
      TokenType t = peek().type();
      if (t == TokenType.COMMA) {
        next();
      } else if (t == TokenType.RIGHT_BRACE) {
        next();
        return;
      } else {
        throw unexpected("label matching", "\",\" or \"}\"");
      }
    }
  }

  private static MatchType matchType(TokenType t) {
    return switch (t) {
      case EQL -> MatchType.EQUAL;
      case NEQ -> MatchType.NOT_EQUAL;
      case EQL_REGEX -> MatchType.REGEX;
      case NEQ_REGEX -> MatchType.NOT_REGEX;
      default -> null;
    };
  }

  private void parseLabelMatcher(List<Matcher> out) {
    Token label = peek();
    String name;
    if (label.type() == TokenType.IDENTIFIER) {
      next();
      name = label.val();
      if (matchType(peek().type()) == null) {
        throw unexpected("label matching", "label matching operator");
      }
    } else if (label.type() == TokenType.STRING) {
      next();
      name = GoStrings.unquote(label.val());
      if (matchType(peek().type()) == null) { // a quoted metric name: {"my.metric"}
        out.add(Matcher.equal("__name__", name));
        return;
      }
    } else {
      throw unexpected("label matching", "identifier or \"}\"");
    }
    MatchType type = matchType(next().type());
    Token value = expect(TokenType.STRING, "label matching", "string");
    try {
      out.add(Matcher.of(type, name, GoStrings.unquote(value.val())));
    } catch (IllegalArgumentException e) {
      error(new PositionRange(label.pos(), value.end()), e.getMessage());
    }
  }

  private List<String> parseGroupingLabels() {
    expect(TokenType.LEFT_PAREN, "grouping opts", "\"(\"");
    List<String> labels = new ArrayList<>();
    if (peek().type() == TokenType.RIGHT_PAREN) {
      next();
      return labels;
    }
    while (true) {
      Token l = peek();
      String name;
      if (l.type() == TokenType.STRING) {
        next();
        name = GoStrings.unquote(l.val());
      } else if (isMaybeLabel(l.type())) {
        next();
        name = l.val();
      } else {
        throw unexpected("grouping opts", "label");
      }
      if (name.isEmpty() || !isValidUtf8(name)) {
        error(l.range(), "invalid label name for grouping: " + GoStrings.quote(name));
      }
      labels.add(name);
      TokenType t = peek().type();
      if (t == TokenType.COMMA) {
        next();
        if (peek().type() == TokenType.RIGHT_PAREN) {
          next();
          return labels;
        }
      } else if (t == TokenType.RIGHT_PAREN) {
        next();
        return labels;
      } else {
        throw unexpected("grouping opts", "\",\" or \")\"");
      }
    }
  }

  private static boolean isMaybeLabel(TokenType t) {
    return switch (t) {
      case AGGREGATOR, BOOL, BY, GROUP_LEFT, GROUP_RIGHT, FILL, FILL_LEFT, FILL_RIGHT, IDENTIFIER,
          IGNORING, LAND, LOR, LUNLESS, METRIC_IDENTIFIER, OFFSET, ON, START, END, ATAN2, STEP,
          RANGE, ANCHORED, SMOOTHED, MAX_OF, MIN_OF, WITHOUT -> true;
      default -> false;
    };
  }

  private static boolean isValidUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- calls and aggregations

  private Expr parseCall() {
    Token name = next();
    FunctionSignature fn = Functions.byName(name.val());
    if (fn == null) {
      error(name.range(), "unknown function with name " + GoStrings.quote(name.val()));
      fn = new FunctionSignature(name.val(), List.of(), -1, ValueType.VECTOR, false);
    } else if (fn.experimental() && !options.experimentalFunctions()) {
      error(name.range(), "function " + GoStrings.quote(name.val()) + " is not enabled");
    }
    List<Expr> args = parseCallArgs();
    return new Call(fn, args, new PositionRange(name.pos(), c.prevEnd()));
  }

  private List<Expr> parseCallArgs() {
    expect(TokenType.LEFT_PAREN, "", "");
    List<Expr> args = new ArrayList<>();
    if (peek().type() == TokenType.RIGHT_PAREN) {
      next();
      return args;
    }
    while (true) {
      args.add(parseExpr(0));
      Token t = peek();
      if (t.type() == TokenType.COMMA) {
        next();
        // A comma before ")" or another comma is Prometheus's "trailing comma" rule: an error,
        // but parsing goes on, so "f(a,, b)" yields the error and the call.
        while (peek().type() == TokenType.COMMA || peek().type() == TokenType.RIGHT_PAREN) {
          error(t.range(), "trailing commas not allowed in function call args");
          t = next();
          if (t.type() == TokenType.RIGHT_PAREN) {
            return args;
          }
        }
      } else if (t.type() == TokenType.RIGHT_PAREN) {
        next();
        return args;
      } else {
        throw unexpected("", "");
      }
    }
  }

  private Expr parseAggregate() {
    c.enterAggregation();
    try {
      return parseAggregateBody();
    } finally {
      c.leaveAggregation();
    }
  }

  private Expr parseAggregateBody() {
    Token opTok = next();
    AggregateOp op = AggregateOp.byName(opTok.val());
    List<String> grouping = List.of();
    boolean without = false;
    boolean modifierFirst = false;
    TokenType t = peek().type();
    if (t == TokenType.BY || t == TokenType.WITHOUT) {
      next();
      without = t == TokenType.WITHOUT;
      grouping = parseGroupingLabels();
      modifierFirst = true;
    }
    if (peek().type() != TokenType.LEFT_PAREN) {
      throw unexpected("", "");
    }
    List<Expr> args = parseCallArgs();
    t = peek().type();
    if (!modifierFirst && (t == TokenType.BY || t == TokenType.WITHOUT)) {
      next();
      without = t == TokenType.WITHOUT;
      grouping = parseGroupingLabels();
    }
    PositionRange pos = new PositionRange(opTok.pos(), c.prevEnd());
    if (args.isEmpty()) {
      error(pos, "no arguments for aggregate expression provided");
      return new AggregateExpr(op, null, null, grouping, without, pos);
    }
    int desired = 1;
    Expr param = null;
    if (op.hasParam()) {
      if (!options.experimentalFunctions()
          && (op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO)) {
        error(pos, op.text() + "() is experimental and must be enabled with "
            + "--enable-feature=promql-experimental-functions");
        return new AggregateExpr(op, null, null, grouping, without, pos);
      }
      desired = 2;
      param = args.getFirst();
    }
    if (args.size() != desired) {
      error(pos, "wrong number of arguments for aggregate expression provided, expected "
          + desired + ", got " + args.size());
      return new AggregateExpr(op, null, param, grouping, without, pos);
    }
    return new AggregateExpr(op, args.get(desired - 1), param, grouping, without, pos);
  }

  // ---------------------------------------------------------------- postfix modifiers

  private Expr parsePostfix(Expr e) {
    while (true) {
      switch (peek().type()) {
        case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
        case OFFSET -> e = parseOffset(e);
        case AT -> e = parseAt(e);
        case ANCHORED -> {
          next();
          e = setExtended(e, true);
        }
        case SMOOTHED -> {
          next();
          e = setExtended(e, false);
        }
        default -> {
          return e;
        }
      }
    }
  }

  private Expr parseRangeOrSubquery(Expr e) {
    Token lb = next();
    if (!DurationParser.isDurationStart(peek().type())) {
      throw unexpected(DurationContext.RANGE.context, DurationContext.RANGE.expected);
    }
    Expr range = durations.positive(durations.parseDuration(0, DurationContext.RANGE));
    Token t = peek();
    if (t.type() == TokenType.RIGHT_BRACKET) {
      next();
      String err = null;
      if (!(e instanceof VectorSelector vs)) {
        err = "ranges only allowed for vector selectors";
      } else if (vs.offset() != null) {
        err = "no offset modifiers allowed before range";
      } else if (vs.at() != null) {
        err = "no @ modifiers allowed before range";
      }
      if (err != null) {
        error(new PositionRange(lb.pos(), c.prevEnd()), err);
      }
      if (e instanceof VectorSelector vs) {
        return new MatrixSelector(vs, DurationParser.asDuration(range), span(e, c.prevEnd()));
      }
      return e;
    }
    if (t.type() != TokenType.COLON) {
      throw unexpected("subquery or range", "\":\" or \"]\"");
    }
    next();
    Expr step = null;
    if (peek().type() != TokenType.RIGHT_BRACKET) {
      if (!DurationParser.isDurationStart(peek().type())) {
        throw unexpected(DurationContext.STEP.context, DurationContext.STEP.expected);
      }
      step = DurationParser.asDuration(
          durations.positive(durations.parseDuration(0, DurationContext.STEP)));
      if (peek().type() != TokenType.RIGHT_BRACKET) {
        throw unexpected("subquery selector", "\"]\"");
      }
    }
    next();
    return new SubqueryExpr(e, DurationParser.asDuration(range), step, null, null,
        span(e, c.prevEnd()));
  }

  private Expr parseOffset(Expr e) {
    next(); // offset
    Expr d = durations.parseOffsetDuration();
    Expr existing;
    switch (e) {
      case VectorSelector vs -> existing = vs.offset();
      case MatrixSelector ms -> existing = ms.vectorSelector().offset();
      case SubqueryExpr sq -> existing = sq.offset();
      default -> {
        error(e.pos(), "offset modifier must be preceded by an instant vector selector or "
            + "range vector selector or a subquery");
        return e;
      }
    }
    if (existing != null) {
      error(e.pos(), "offset may not be set multiple times");
      d = existing;
    } else if (d instanceof NumberLiteral nl && nl.value() == 0) {
      d = null; // offset 0 is no offset (and may be followed by another one, as in Prometheus)
    } else {
      d = DurationParser.asDuration(d);
    }
    return switch (e) {
      case VectorSelector vs -> new VectorSelector(vs.name(), vs.matchers(), d, vs.at(),
          vs.anchored(), vs.smoothed(), span(vs, c.prevEnd()));
      case MatrixSelector ms -> {
        VectorSelector vs = ms.vectorSelector();
        yield new MatrixSelector(new VectorSelector(vs.name(), vs.matchers(), d, vs.at(),
            vs.anchored(), vs.smoothed(), vs.pos()), ms.range(), span(ms, c.prevEnd()));
      }
      case SubqueryExpr sq -> new SubqueryExpr(sq.expr(), sq.range(), sq.step(), d, sq.at(),
          span(sq, c.prevEnd()));
      default -> e;
    };
  }

  private Expr parseAt(Expr e) {
    next(); // @
    Token t = peek();
    AtModifier at;
    if (t.type() == TokenType.START || t.type() == TokenType.END) {
      next();
      expect(TokenType.LEFT_PAREN, "@", "timestamp");
      expect(TokenType.RIGHT_PAREN, "@", "timestamp");
      at = t.type() == TokenType.START ? AtModifier.START : AtModifier.END;
    } else {
      boolean negate = false;
      if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
        next();
        negate = t.type() == TokenType.SUB;
      }
      Token n = peek();
      double ts;
      if (n.type() == TokenType.NUMBER) {
        ts = c.number(next());
      } else if (n.type() == TokenType.DURATION) {
        ts = c.durationSeconds(next());
      } else {
        throw unexpected("@", "timestamp");
      }
      if (negate) {
        ts = -ts;
      }
      if (Double.isNaN(ts) || Double.isInfinite(ts) || ts >= 9.223372036854775807e18
          || ts <= -9.223372036854775808e18) {
        error(e.pos(), "timestamp out of bounds for @ modifier: " + Literals.formatFixed6(ts));
      }
      at = AtModifier.at(Literals.roundHalfAway(ts * 1000));
    }
    AtModifier existing;
    switch (e) {
      case VectorSelector vs -> existing = vs.at();
      case MatrixSelector ms -> existing = ms.vectorSelector().at();
      case SubqueryExpr sq -> existing = sq.at();
      default -> {
        error(e.pos(), "@ modifier must be preceded by an instant vector selector or range "
            + "vector selector or a subquery");
        return e;
      }
    }
    if (existing != null) {
      error(e.pos(), "@ <timestamp> may not be set multiple times");
      return e;
    }
    return switch (e) {
      case VectorSelector vs -> new VectorSelector(vs.name(), vs.matchers(), vs.offset(), at,
          vs.anchored(), vs.smoothed(), span(vs, c.prevEnd()));
      case MatrixSelector ms -> {
        VectorSelector vs = ms.vectorSelector();
        yield new MatrixSelector(new VectorSelector(vs.name(), vs.matchers(), vs.offset(), at,
            vs.anchored(), vs.smoothed(), vs.pos()), ms.range(), span(ms, c.prevEnd()));
      }
      case SubqueryExpr sq -> new SubqueryExpr(sq.expr(), sq.range(), sq.step(), sq.offset(), at,
          span(sq, c.prevEnd()));
      default -> e;
    };
  }

  /** The {@code anchored} (true) or {@code smoothed} (false) modifier. */
  private Expr setExtended(Expr e, boolean anchored) {
    String name = anchored ? "anchored" : "smoothed";
    if (!options.extendedRangeSelectors()) {
      error(e.pos(), name + " modifier is experimental and not enabled");
      return e;
    }
    VectorSelector vs;
    switch (e) {
      case VectorSelector v -> vs = v;
      case MatrixSelector ms -> vs = ms.vectorSelector();
      case SubqueryExpr sq -> {
        error(e.pos(), name + " modifier is not supported for subqueries");
        return e;
      }
      default -> {
        error(e.pos(), name + " modifier not implemented");
        return e;
      }
    }
    if (anchored ? vs.smoothed() : vs.anchored()) {
      error(e.pos(), "anchored and smoothed modifiers cannot be used together");
    }
    if (e instanceof MatrixSelector ms) {
      VectorSelector updated = new VectorSelector(vs.name(), vs.matchers(), vs.offset(), vs.at(),
          vs.anchored() || anchored, vs.smoothed() || !anchored, vs.pos());
      return new MatrixSelector(updated, ms.range(), span(ms, c.prevEnd()));
    }
    return new VectorSelector(vs.name(), vs.matchers(), vs.offset(), vs.at(),
        vs.anchored() || anchored, vs.smoothed() || !anchored, span(vs, c.prevEnd()));
  }
}
