package dev.vigil.mixin.render;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import scala.Function1;
import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import sjsonnet.CachedResolver;
import sjsonnet.EvalScope;
import sjsonnet.Evaluator;
import sjsonnet.Expr;
import sjsonnet.Format;
import sjsonnet.Lazy;
import sjsonnet.Settings;
import sjsonnet.Val;

/**
 * sjsonnet's evaluator with the reference jsonnet's string conversions: {@code str % values}
 * goes through {@link CppFormat}, and {@code str + x} / {@code x + str} print a non-string
 * {@code x} like the reference ({@link CppJsonText#inline}: 17 significant digits, {@code -0}).
 * Everything else is sjsonnet's.
 *
 * <p>sjsonnet's static optimiser turns {@code 'literal' % x} into an application of its own
 * formatter; {@link #visitExpr} catches that node and formats with the parsed codes instead.
 */
final class CppCompatibleEvaluator extends Evaluator {
  /** Parsed format codes of the optimiser's formatter nodes, one entry per node. */
  private final Map<Format.PartialApplyFmt, List<Object>> parsed = new IdentityHashMap<>();

  CppCompatibleEvaluator(CachedResolver resolver, Function1<String, Option<Expr>> extVars, sjsonnet.Path wd,
      Settings settings, Function1<sjsonnet.Error, BoxedUnit> warn) {
    super(resolver, extVars, wd, settings, warn);
  }

  @Override
  public Val visitExpr(Expr e, Lazy[] scope) {
    if (e instanceof Expr.ApplyBuiltin1 a && a.func() instanceof Format.PartialApplyFmt f) {
      try {
        Val values = visitExpr(a.a1(), scope);
        List<Object> codes = parsed.computeIfAbsent(f, CppCompatibleEvaluator::codesOf);
        return new Val.Str(a.pos(), format(codes, values, this));
      } catch (Throwable t) {
        var frame = sjsonnet.Error.withStackFrame(e, this);
        if (frame.isDefinedAt(t)) {
          frame.apply(t);
        }
        throw JsonnetEngine.<RuntimeException>sneaky(t);
      }
    }
    return super.visitExpr(e, scope);
  }

  @Override
  public Val.Literal visitBinaryOp(Expr.BinaryOp e, Lazy[] scope) {
    int op = e.op();
    if (op != Expr.BinaryOp$.MODULE$.OP_$plus() && op != Expr.BinaryOp$.MODULE$.OP_$percent()) {
      return super.visitBinaryOp(e, scope);
    }
    Val l = visitExpr(e.lhs(), scope);
    Val r = visitExpr(e.rhs(), scope);
    if (op == Expr.BinaryOp$.MODULE$.OP_$plus()) {
      // The common cases, as sjsonnet computes them, without building a new node.
      if (l instanceof Val.Num a && r instanceof Val.Num b) {
        return new Val.Num(e.pos(), a.value() + b.value());
      }
      if (l instanceof Val.Str a && r instanceof Val.Str b) {
        return new Val.Str(e.pos(), a.value() + b.value());
      }
      if (l instanceof Val.Obj a && r instanceof Val.Obj b) {
        return b.addSuper(e.pos(), a);
      }
      if (l instanceof Val.Arr a && r instanceof Val.Arr b) {
        return a.concat(e.pos(), b);
      }
    }
    if (op == Expr.BinaryOp$.MODULE$.OP_$percent()) {
      if (l instanceof Val.Str s) {
        return new Val.Str(e.pos(), format(s.value(), r, this));
      }
    } else if (l instanceof Val.Str s && !(r instanceof Val.Str)) {
      return new Val.Str(e.pos(), s.value() + inline(r, this));
    } else if (r instanceof Val.Str s && !(l instanceof Val.Str)) {
      return new Val.Str(e.pos(), inline(l, this) + s.value());
    }
    // Values are literal expressions: sjsonnet's own operator sees them without re-evaluating.
    return super.visitBinaryOp(new Expr.BinaryOp(e.pos(), (Expr) l, op, (Expr) r), scope);
  }

  /** The optimiser's parsed form back as {@link CppFormat} codes (same grammar, same fields). */
  private static List<Object> codesOf(Format.PartialApplyFmt f) {
    List<Object> codes = new ArrayList<>();
    codes.add(f.leading());
    for (Tuple2<Format.FormatSpec, String> chunk : CollectionConverters.asJava(f.chunks())) {
      Format.FormatSpec s = chunk._1();
      char c = s.conversion();
      char ctype = switch (c) {
        case 'd', 'i', 'u' -> 'd';
        case 'X' -> 'x';
        case 'E' -> 'e';
        case 'F' -> 'f';
        case 'G' -> 'g';
        default -> c;
      };
      if ("diouxefgcs%".indexOf(ctype) < 0) {
        throw new CppFormat.FormatException("Unrecognised conversion type: " + c);
      }
      Option<Object> width = s.width();
      Option<Object> precision = s.precision();
      codes.add(new CppFormat.Code(s.label().isDefined() ? s.label().get() : null, s.alternate(), s.zeroPadded(),
          s.leftAdjusted(), s.blankBeforePositive(), s.signCharacter(),
          width.isDefined() ? ((Integer) width.get()).doubleValue() : 0,
          precision.isDefined() ? ((Integer) precision.get()).doubleValue() : null,
          ctype, c == 'X' || c == 'E' || c == 'F' || c == 'G'));
      codes.add(chunk._2());
    }
    return codes;
  }

  /** Formats, turning a format error into a Jsonnet runtime error. */
  static String format(List<Object> codes, Val values, EvalScope ev) {
    try {
      return CppFormat.format(codes, new ValArgs(values, ev));
    } catch (CppFormat.FormatException e) {
      throw ReferenceBuiltins.error(e.getMessage());
    }
  }

  static String format(String fmt, Val values, EvalScope ev) {
    List<Object> codes;
    try {
      codes = CppFormat.parse(fmt);
    } catch (CppFormat.FormatException e) {
      throw ReferenceBuiltins.error(e.getMessage());
    }
    return format(codes, values, ev);
  }

  /** {@code '' + v} for a non-string {@code v}. */
  static String inline(Val v, EvalScope ev) {
    try {
      return CppJsonText.inline(toJava(v, ev));
    } catch (CppFormat.FormatException e) {
      throw ReferenceBuiltins.error(e.getMessage());
    }
  }

  /** A forced value as CppFormat sees it; arrays and objects are materialized (keys sorted). */
  static @Nullable Object toJava(Val v, EvalScope ev) {
    return switch (v) {
      case Val.Str s -> s.value();
      case Val.Num n -> n.value();
      case Val.Bool b -> b.asBoolean();
      case Val.Null n -> null;
      case Val.Func f -> new CppFormat.FunctionValue();
      default -> JsonnetEngine.toJava(sjsonnet.Materializer$.MODULE$.apply(v, ev));
    };
  }

  /** The right-hand side of {@code %}, read lazily. */
  private record ValArgs(Val values, EvalScope ev) implements CppFormat.Args {
    @Override
    public boolean isObject() {
      return values instanceof Val.Obj;
    }

    @Override
    public int length() {
      return values instanceof Val.Arr a ? a.length() : 1;
    }

    @Override
    public @Nullable Object at(int i) {
      return toJava(values instanceof Val.Arr a ? a.force(i) : values, ev);
    }

    @Override
    public boolean has(String key) {
      return ((Val.Obj) values).containsKey(key);
    }

    @Override
    public @Nullable Object field(String key) {
      Val.Obj o = (Val.Obj) values;
      return toJava(o.value(key, o.pos(), o, ev), ev);
    }
  }
}
