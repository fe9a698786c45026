package dev.vigil.mixin.render;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import scala.Option;
import sjsonnet.EvalScope;
import sjsonnet.FileScope;
import sjsonnet.OsPath;
import sjsonnet.Position;
import sjsonnet.Val;

/**
 * The std functions whose sjsonnet versions print numbers differently from the reference jsonnet
 * (shortest digits instead of 17, {@code 1.0E21}, no {@code -0}) or lack its parameters, redone
 * with the reference's rules: {@code toString}, {@code format}, {@code mod},
 * {@code manifestJson}, {@code manifestJsonMinified}, {@code manifestJsonEx} (with jsonnet 0.18's
 * {@code newline} and {@code key_val_sep}).
 */
final class ReferenceBuiltins {
  private ReferenceBuiltins() {}

  private static final Position STD = new Position(new FileScope(OsPath.apply(new os.Path(Path.of("/").toAbsolutePath()))), 0);

  static Map<String, Val.Func> all() {
    Map<String, Val.Func> m = new LinkedHashMap<>();
    m.put("toString", builtin(new String[] {"a"}, new sjsonnet.Expr[] {null}, (a, ev, pos) -> new Val.Str(pos,
        a[0] instanceof Val.Str s ? s.value() : CppCompatibleEvaluator.inline(a[0], ev))));
    m.put("format", builtin(new String[] {"str", "vals"}, new sjsonnet.Expr[] {null, null}, (a, ev, pos) -> {
      if (!(a[0] instanceof Val.Str s)) {
        throw error("std.format first parameter should be a string, got " + a[0].prettyName());
      }
      return new Val.Str(pos, CppCompatibleEvaluator.format(s.value(), a[1], ev));
    }));
    m.put("mod", builtin(new String[] {"a", "b"}, new sjsonnet.Expr[] {null, null}, (a, ev, pos) -> {
      if (a[0] instanceof Val.Num x && a[1] instanceof Val.Num y) {
        if (y.value() == 0) {
          throw error("Division by zero.");
        }
        return new Val.Num(pos, x.value() % y.value()); // C's fmod, as std.modulo
      }
      if (a[0] instanceof Val.Str s) {
        return new Val.Str(pos, CppCompatibleEvaluator.format(s.value(), a[1], ev));
      }
      throw error("Operator % cannot be used on types " + a[0].prettyName() + " and " + a[1].prettyName() + ".");
    }));
    m.put("manifestJson", builtin(new String[] {"value"}, new sjsonnet.Expr[] {null}, (a, ev, pos) ->
        new Val.Str(pos, CppJsonText.manifestJsonEx(manifestable(a[0], ev), "    ", "\n", ": "))));
    m.put("manifestJsonMinified", builtin(new String[] {"value"}, new sjsonnet.Expr[] {null}, (a, ev, pos) ->
        new Val.Str(pos, CppJsonText.manifestJsonEx(manifestable(a[0], ev), "", "", ":"))));
    m.put("manifestJsonEx", builtin(new String[] {"value", "indent", "newline", "key_val_sep"},
        new sjsonnet.Expr[] {null, null, new Val.Str(STD, "\n"), new Val.Str(STD, ": ")}, (a, ev, pos) ->
        new Val.Str(pos, CppJsonText.manifestJsonEx(manifestable(a[0], ev), string(a[1], "indent"),
            string(a[2], "newline"), string(a[3], "key_val_sep")))));
    return m;
  }

  private interface Body {
    Val apply(Val[] args, EvalScope ev, Position pos);
  }

  private static Val.Func builtin(String[] params, sjsonnet.Expr[] defaults, Body body) {
    return new Val.Builtin(params, defaults) {
      @Override
      public Val evalRhs(Val[] args, EvalScope ev, Position pos) {
        return body.apply(args, ev, pos);
      }
    };
  }

  private static @Nullable Object manifestable(Val v, EvalScope ev) {
    if (v instanceof Val.Func) {
      throw error("Tried to manifest function at []");
    }
    return CppCompatibleEvaluator.toJava(v, ev);
  }

  private static String string(Val v, String name) {
    if (v instanceof Val.Str s) {
      return s.value();
    }
    throw error("std.manifestJsonEx: " + name + " must be a string, got " + v.prettyName());
  }

  static RuntimeException error(String message) {
    return JsonnetEngine.<RuntimeException>sneaky(new sjsonnet.Error(message,
        scala.collection.immutable.List$.MODULE$.empty(), Option.empty()));
  }
}
