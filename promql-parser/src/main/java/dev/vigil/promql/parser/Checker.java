package dev.vigil.promql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * The semantic pass of Prometheus's {@code checkAST}: operand types, matching modifiers, call
 * arity and argument types, selector sanity. Runs only when the query parsed without errors,
 * visits nodes in Prometheus's order (so the first error is the same), and returns the tree
 * with binary matching normalised: set operators get many-to-many, and matching is dropped
 * unless both operands are instant vectors.
 */
final class Checker {
  private final String query;
  private final List<ParseError> errors;

  Checker(String query, List<ParseError> errors) {
    this.query = query;
    this.errors = errors;
  }

  private void error(PositionRange pos, String message) {
    errors.add(new ParseError(pos, message, query));
  }

  /** Prometheus's raw value type names, used by the subquery message. */
  private static String rawName(ValueType t) {
    return switch (t) {
      case NONE -> "none";
      case SCALAR -> "scalar";
      case VECTOR -> "vector";
      case MATRIX -> "matrix";
      case STRING -> "string";
    };
  }

  private Expr expectType(Expr node, ValueType want, String context) {
    Expr checked = check(node);
    ValueType t = checked.type();
    if (t != want) {
      error(node.pos(), "expected type " + want.displayName() + " in " + context + ", got "
          + t.displayName());
    }
    return checked;
  }

  Expr check(Expr node) {
    return switch (node) {
      case AggregateExpr a -> checkAggregate(a);
      case BinaryExpr b -> checkBinary(b);
      case Call c -> checkCall(c);
      case ParenExpr p -> new ParenExpr(check(p.expr()), p.pos());
      case UnaryExpr u -> {
        Expr e = check(u.expr());
        ValueType t = e.type();
        if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
          error(u.pos(), "unary expression only allowed on expressions of type scalar or instant "
              + "vector, got " + GoStrings.quote(t.displayName()));
        }
        yield new UnaryExpr(u.op(), e, u.pos());
      }
      case SubqueryExpr s -> {
        Expr e = check(s.expr());
        if (e.type() != ValueType.VECTOR) {
          error(s.pos(), "subquery is only allowed on instant vector, got " + rawName(e.type())
              + " instead");
        }
        yield new SubqueryExpr(e, s.range(), s.step(), s.offset(), s.at(), s.pos());
      }
      case MatrixSelector m -> {
        checkSelector(m.vectorSelector(), false);
        yield m;
      }
      case VectorSelector v -> {
        checkSelector(v, false);
        yield v;
      }
      case NumberLiteral n -> n;
      case StringLiteral s -> s;
      case DurationExpr d -> d;
    };
  }

  private Expr checkAggregate(AggregateExpr a) {
    Expr e = expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
    Expr param = a.param();
    switch (a.op()) {
      case TOPK, BOTTOMK, QUANTILE, LIMITK, LIMIT_RATIO ->
          param = expectType(param, ValueType.SCALAR, "aggregation parameter");
      case COUNT_VALUES -> param = expectType(param, ValueType.STRING, "aggregation parameter");
      default -> { }
    }
    return new AggregateExpr(a.op(), e, param, a.grouping(), a.without(), a.pos());
  }

  /** The operator's range without surrounding blanks, as Prometheus's opRange. */
  private PositionRange opRange(BinaryExpr b) {
    int s = b.lhs().pos().end();
    while (s < query.length() && Lexer.isSpace(query.charAt(s))) {
      s++;
    }
    int e = b.rhs().pos().start() - 1;
    while (e > s && Lexer.isSpace(query.charAt(e))) {
      e--;
    }
    return new PositionRange(s, e);
  }

  private Expr checkBinary(BinaryExpr b) {
    Expr l = check(b.lhs());
    Expr r = check(b.rhs());
    ValueType lt = l.type();
    ValueType rt = r.type();
    BinaryOp op = b.op();
    if (b.returnBool() && !op.isComparison()) {
      error(opRange(b), "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !b.returnBool() && rt == ValueType.SCALAR
        && lt == ValueType.SCALAR) {
      error(opRange(b), "comparisons between scalars must use BOOL modifier");
    }
    VectorMatching vm = b.matching();
    if (op.isSetOperator() && vm.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
      vm = new VectorMatching(VectorMatching.Cardinality.MANY_TO_MANY, vm.matchingLabels(),
          vm.on(), vm.include(), vm.fillLeft(), vm.fillRight());
    }
    for (String l1 : vm.matchingLabels()) {
      for (String l2 : vm.include()) {
        if (l1.equals(l2) && vm.on()) {
          error(opRange(b), "label " + GoStrings.quote(l1)
              + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
      error(l.pos(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      error(r.pos(), "binary expression must contain only scalar and instant vector types");
    }
    boolean fill = vm.fillLeft() != null || vm.fillRight() != null;
    if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
      if (!vm.matchingLabels().isEmpty()) {
        error(b.pos(), "vector matching only allowed between instant vectors");
      }
      if (fill) {
        error(b.pos(), "filling in missing series only allowed between instant vectors");
      }
      vm = null;
    } else if (op.isSetOperator()) {
      if (vm.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY
          || vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE) {
        error(b.pos(), "no grouping allowed for " + GoStrings.quote(op.text()) + " operation");
      }
      if (vm.cardinality() != VectorMatching.Cardinality.MANY_TO_MANY) {
        error(b.pos(), "set operations must always be many-to-many");
      }
      if (fill) {
        error(b.pos(), "filling in missing series not allowed for set operators");
      }
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      error(b.pos(), "set operator " + GoStrings.quote(op.text())
          + " not allowed in binary scalar expression");
    }
    return new BinaryExpr(op, l, r, vm, b.returnBool(), b.pos());
  }

  private Expr checkCall(Call c) {
    FunctionSignature fn = c.function();
    List<Expr> args = c.args();
    String quotedName = GoStrings.quote(fn.name());
    int nargs = fn.argTypes().size();
    if (fn.variadic() == 0) {
      if (nargs != args.size()) {
        error(c.pos(), "expected " + nargs + " argument(s) in call to " + quotedName + ", got "
            + args.size());
      }
    } else {
      int na = nargs - 1;
      if (na > args.size()) {
        error(c.pos(), "expected at least " + na + " argument(s) in call to " + quotedName
            + ", got " + args.size());
      } else if (fn.variadic() > 0 && na + fn.variadic() < args.size()) {
        error(c.pos(), "expected at most " + (na + fn.variadic()) + " argument(s) in call to "
            + quotedName + ", got " + args.size());
      }
    }
    boolean bypassSecond = false;
    if (fn.name().equals("info") && args.size() > 1) {
      Expr a1 = args.get(1);
      if (a1.type() != ValueType.VECTOR) {
        error(c.pos(), "expected type instant vector in call to function " + quotedName
            + ", got " + a1.type().displayName());
      }
      if (a1 instanceof VectorSelector vs && vs.name() != null) {
        error(a1.pos(), "expected label selectors only, got vector selector instead");
      } else if (a1 instanceof VectorSelector) {
        bypassSecond = true; // info's label selector may match everything
      } else {
        error(a1.pos(), "expected label selectors only");
      }
    }
    List<Expr> checked = new ArrayList<>(args);
    for (int i = 0; i < args.size(); i++) {
      int ti = i;
      if (i >= nargs) {
        if (fn.variadic() == 0) {
          break;
        }
        ti = nargs - 1;
      }
      Expr arg = args.get(i);
      Expr ca;
      if (i == 1 && bypassSecond && arg instanceof VectorSelector vs) {
        checkSelector(vs, true);
        ca = vs;
      } else {
        ca = check(arg);
      }
      checked.set(i, ca);
      ValueType want = fn.argTypes().get(ti);
      if (ca.type() != want) {
        error(arg.pos(), "expected type " + want.displayName() + " in call to function "
            + quotedName + ", got " + ca.type().displayName());
      }
    }
    return new Call(fn, checked, c.pos());
  }

  private void checkSelector(VectorSelector v, boolean bypassEmptyMatcherCheck) {
    if (v.name() != null) {
      List<dev.vigil.model.labels.Matcher> ms = v.matchers();
      for (int i = 0; i < ms.size() - 1; i++) {
        if (ms.get(i).name().equals("__name__")) {
          error(v.pos(), "metric name must not be set twice: " + GoStrings.quote(v.name())
              + " or " + GoStrings.quote(ms.get(i).value()));
        }
      }
      return;
    }
    if (!bypassEmptyMatcherCheck) {
      boolean notEmpty = false;
      for (dev.vigil.model.labels.Matcher m : v.matchers()) {
        if (!m.matchesEmpty()) {
          notEmpty = true;
          break;
        }
      }
      if (!notEmpty) {
        error(v.pos(), "vector selector must contain at least one non-empty matcher");
      }
    }
  }
}
