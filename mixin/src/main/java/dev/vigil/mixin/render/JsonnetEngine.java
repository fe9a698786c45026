package dev.vigil.mixin.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.util.Either;
import sjsonnet.DefaultParseCache;
import sjsonnet.EvalScope;
import sjsonnet.Expr$Member$Visibility;
import sjsonnet.Expr$Member$Visibility$Hidden$;
import sjsonnet.FileScope;
import sjsonnet.Importer;
import sjsonnet.Interpreter;
import sjsonnet.OsPath;
import sjsonnet.Settings;
import sjsonnet.SjsonnetMain;
import sjsonnet.Std;
import sjsonnet.Val;
import sjsonnet.Val$Obj$ConstMember;
import sjsonnet.Val$Obj$Member;

/**
 * The embedded Jsonnet interpreter: sjsonnet with a standard library extended by
 * {@code polyfill.libsonnet} (functions newer than sjsonnet 0.4.9). Imports resolve like the C++
 * {@code jsonnet -J DIR}: relative to the importing file first, then the library folders.
 * Numbers inside strings are printed like the reference jsonnet: the evaluator is
 * {@link CppCompatibleEvaluator} and {@link ReferenceBuiltins} replace the std functions that
 * print numbers.
 *
 * <p>Each {@link #evaluate} call uses a fresh interpreter (no state leaks between renders); the
 * polyfilled std object is built once per engine. Not thread-safe.
 */
public final class JsonnetEngine {
  // Settings.default in Scala; `default` is a Java keyword. All off: jsonnet's behaviour.
  private static final Settings DEFAULTS = new Settings(false, false, false, false, false, false);

  private final List<Path> libraryPaths;
  private final Val.Obj std;

  public JsonnetEngine(List<Path> libraryPaths) {
    this.libraryPaths = List.copyOf(libraryPaths);
    this.std = polyfilledStd();
  }

  private static OsPath osPath(Path p) {
    return OsPath.apply(new os.Path(p.toAbsolutePath().normalize()));
  }

  private static Val.Obj polyfilledStd() {
    Std base = new Std();
    String src;
    try (InputStream in = JsonnetEngine.class.getResourceAsStream("polyfill.libsonnet")) {
      if (in == null) {
        throw new IllegalStateException("polyfill.libsonnet missing from the classpath");
      }
      src = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path wd = Path.of("").toAbsolutePath();
    Interpreter boot = interpreter(osPath(wd), Importer.empty(), base.Std());
    Either<sjsonnet.Error, Val> r = boot.evaluate(src, osPath(wd.resolve("<polyfill>")));
    if (r.isLeft()) {
      throw new IllegalStateException("polyfill does not evaluate: " + boot.formatError(r.left().get()));
    }
    Val.Obj poly = (Val.Obj) r.toOption().get();
    EvalScope ev = boot.evaluator();
    Set<String> replaced = new HashSet<>();
    List<Tuple2<String, Val$Obj$Member>> members = new ArrayList<>();
    Expr$Member$Visibility hidden = Expr$Member$Visibility$Hidden$.MODULE$;
    for (String k : poly.allKeyNames()) {
      replaced.add(k);
      members.add(new Tuple2<>(k, new Val$Obj$ConstMember(false, hidden, poly.value(k, poly.pos(), poly, ev), true)));
    }
    // sjsonnet's number printing differs from jsonnet's (see CppCompatibleEvaluator): these
    // builtins print numbers and must print them like the reference.
    for (var f : ReferenceBuiltins.all().entrySet()) {
      replaced.add(f.getKey());
      members.add(new Tuple2<>(f.getKey(), new Val$Obj$ConstMember(false, hidden, f.getValue(), true)));
    }
    for (Tuple2<String, Val.Func> f : CollectionConverters.asJava(base.functions().toSeq())) {
      if (!replaced.contains(f._1())) {
        members.add(new Tuple2<>(f._1(), new Val$Obj$ConstMember(false, hidden, f._2(), true)));
      }
    }
    // sjsonnet's manifestYamlDoc indents empty lines of block strings differently from jsonnet.
    replaced.add("manifestYamlDoc");
    sjsonnet.Position dummy = new sjsonnet.Position(new FileScope(osPath(wd.resolve("<std>"))), 0);
    members.add(new Tuple2<>("manifestYamlDoc", new Val$Obj$ConstMember(false, hidden, new Val.Builtin(
        new String[] {"value", "indent_array_in_object", "quote_keys"},
        new sjsonnet.Expr[] {null, new Val.False(dummy), new Val.True(dummy)}) {
      @Override
      public Val evalRhs(Val[] args, EvalScope e, sjsonnet.Position pos) {
        Object v = toJava(sjsonnet.Materializer$.MODULE$.apply(args[0], e));
        return new Val.Str(pos, CppYaml.manifestYamlDoc(v, JsonnetEngine.boolArg(args[1], "indent_array_in_object"),
            JsonnetEngine.boolArg(args[2], "quote_keys")));
      }
    }, true)));
    // jsonnet's manifestYamlStream: the documents of manifestYamlDoc between "---" lines.
    replaced.add("manifestYamlStream");
    members.add(new Tuple2<>("manifestYamlStream", new Val$Obj$ConstMember(false, hidden, new Val.Builtin(
        new String[] {"value", "indent_array_in_object", "c_document_end", "quote_keys"},
        new sjsonnet.Expr[] {null, new Val.False(dummy), new Val.True(dummy), new Val.True(dummy)}) {
      @Override
      public Val evalRhs(Val[] args, EvalScope e, sjsonnet.Position pos) {
        if (!(args[0] instanceof Val.Arr docs)) {
          throw ReferenceBuiltins.error("manifestYamlStream only takes arrays, got " + args[0].prettyName());
        }
        boolean indent = JsonnetEngine.boolArg(args[1], "indent_array_in_object");
        boolean quote = JsonnetEngine.boolArg(args[3], "quote_keys");
        StringBuilder sb = new StringBuilder("---\n");
        for (int i = 0; i < docs.length(); i++) {
          if (i > 0) {
            sb.append("\n---\n");
          }
          Object v = toJava(sjsonnet.Materializer$.MODULE$.apply(docs.force(i), e));
          sb.append(CppYaml.manifestYamlDoc(v, indent, quote));
        }
        sb.append(JsonnetEngine.boolArg(args[2], "c_document_end") ? "\n...\n" : "\n");
        return new Val.Str(pos, sb.toString());
      }
    }, true)));
    members.add(new Tuple2<>("thisFile", new Val$Obj$Member(false, hidden, false) {
      @Override
      public Val invoke(Val.Obj self, Val.Obj sup, FileScope fs, EvalScope e) {
        return new Val.Str(self.pos(), fs.currentFile().relativeToString(e.wd()));
      }
    }));
    return Val.Obj$.MODULE$.mk(null, CollectionConverters.asScala(members).toSeq());
  }

  /** An interpreter whose evaluator converts numbers to strings like the reference jsonnet. */
  private static Interpreter interpreter(sjsonnet.Path wd, Importer importer, Val.Obj std) {
    return new Interpreter(map(Map.of()), map(Map.of()), wd, importer, new DefaultParseCache(), DEFAULTS, null, null, std) {
      @Override
      public sjsonnet.Evaluator createEvaluator(sjsonnet.CachedResolver resolver,
          scala.Function1<String, scala.Option<sjsonnet.Expr>> extVars, sjsonnet.Path wd,
          Settings settings, scala.Function1<sjsonnet.Error, scala.runtime.BoxedUnit> warn) {
        return new CppCompatibleEvaluator(resolver, extVars, wd, settings, warn);
      }
    };
  }

  private static boolean boolArg(Val v, String name) {
    if (v instanceof Val.Bool b) {
      return b.asBoolean();
    }
    throw JsonnetEngine.<RuntimeException>sneaky(new sjsonnet.Error("std.manifestYamlDoc: " + name + " must be a boolean, got " + v.prettyName(),
        scala.collection.immutable.List$.MODULE$.empty(), scala.Option.empty()));
  }

  /** sjsonnet.Error is a checked exception in Java's eyes; Scala callers expect it unchecked. */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }

  private static scala.collection.immutable.Map<String, String> map(Map<String, String> m) {
    return scala.collection.immutable.Map.from(CollectionConverters.asScala(m));
  }

  /**
   * Evaluates {@code code} as if it were the file {@code file} (imports resolve from its folder)
   * and returns the manifested value: maps (keys sorted, as jsonnet prints them), lists,
   * strings, doubles, booleans and null.
   *
   * @throws JsonnetException with jsonnet's file:line:column stack on a parse or runtime error
   */
  public Object evaluate(String code, Path file) {
    Path wd = file.toAbsolutePath().getParent();
    List<sjsonnet.Path> roots = new ArrayList<>();
    for (Path p : libraryPaths) {
      roots.add(osPath(p));
    }
    Importer importer = SjsonnetMain.resolveImport(CollectionConverters.asScala(roots).toSeq(), scala.Option.empty());
    Interpreter in = interpreter(osPath(wd), importer, std);
    Either<String, ujson.Value> r;
    try {
      r = in.interpret(code, osPath(file));
    } catch (StackOverflowError e) {
      throw new JsonnetException(file + ": max stack frames exceeded (infinite recursion?)");
    }
    if (r.isLeft()) {
      throw new JsonnetException(clean(r.left().get()));
    }
    return toJava(r.toOption().get());
  }

  /** sjsonnet prints errors as a Java stack trace; keep jsonnet's look: message, then frames. */
  private static String clean(String trace) {
    return trace.replace("sjsonnet.Error: ", "")
        .replace("sjsonnet.ParseError: ", "syntax error: ")
        .replace("sjsonnet.StaticError: ", "")
        .replaceAll("(?m)^\\s+at \\[(.*?)\\]\\.\\((.*)\\)$", "    $2 ($1)")
        .strip();
  }

  static Object toJava(ujson.Value v) {
    return switch (v) {
      case ujson.Obj o -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (var e : CollectionConverters.asJava(o.value()).entrySet()) {
          m.put(e.getKey(), toJava(e.getValue()));
        }
        yield m;
      }
      case ujson.Arr a -> {
        List<Object> l = new ArrayList<>(a.value().size());
        for (ujson.Value x : CollectionConverters.asJava(a.value())) {
          l.add(toJava(x));
        }
        yield l;
      }
      case ujson.Str s -> s.value();
      case ujson.Num n -> n.value();
      case ujson.Bool b -> b.value();
      default -> null;
    };
  }
}
