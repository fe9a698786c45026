package dev.vigil.rules.template;

import static dev.vigil.rules.template.ParamType.ANY;
import static dev.vigil.rules.template.ParamType.REFLECT;

import dev.vigil.rules.template.Value.BoolValue;
import dev.vigil.rules.template.Value.FloatValue;
import dev.vigil.rules.template.Value.FuncValue;
import dev.vigil.rules.template.Value.IntValue;
import dev.vigil.rules.template.Value.ListValue;
import dev.vigil.rules.template.Value.MapValue;
import dev.vigil.rules.template.Value.NilValue;
import dev.vigil.rules.template.Value.StringValue;
import dev.vigil.rules.template.Value.StructValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Go's predefined template functions ({@code text/template/funcs.go}), with Go's error texts. */
final class Builtins {
  /**
   * and/or short-circuit, so the executor evaluates their arguments itself; these bodies only
   * carry the signature. The executor recognises them by identity.
   */
  static final TemplateFunction AND = TemplateFunction.variadic("and", a -> a.getLast(),
      REFLECT, REFLECT);
  static final TemplateFunction OR = TemplateFunction.variadic("or", a -> a.getLast(),
      REFLECT, REFLECT);

  /** The executor passes the callee's node text as a first, hidden argument (as Go does). */
  static final TemplateFunction CALL = TemplateFunction.variadic("call", Builtins::call,
      REFLECT, REFLECT);

  private Builtins() {}

  static Map<String, TemplateFunction> all() {
    Map<String, TemplateFunction> m = new LinkedHashMap<>();
    m.put("and", AND);
    m.put("or", OR);
    m.put("not", TemplateFunction.of("not", a -> new BoolValue(!truth(a.getFirst())), REFLECT));
    m.put("len", TemplateFunction.of("len", a -> length(a.getFirst()), REFLECT));
    m.put("index", TemplateFunction.variadic("index", Builtins::index, REFLECT, REFLECT));
    m.put("slice", TemplateFunction.variadic("slice", Builtins::slice, REFLECT, REFLECT));
    m.put("print", TemplateFunction.variadic("print",
        a -> new StringValue(GoFmt.sprint(a)), ANY));
    m.put("println", TemplateFunction.variadic("println",
        a -> new StringValue(GoFmt.sprintln(a)), ANY));
    m.put("printf", TemplateFunction.variadic("printf",
        a -> new StringValue(GoFmt.sprintf(((StringValue) a.getFirst()).value(),
            a.subList(1, a.size()))), ParamType.STRING, ANY));
    m.put("eq", TemplateFunction.variadic("eq", Builtins::eq, REFLECT, REFLECT));
    m.put("ne", TemplateFunction.of("ne",
        a -> new BoolValue(!isEq(a.get(0), a.get(1))), REFLECT, REFLECT));
    m.put("lt", TemplateFunction.of("lt", a -> new BoolValue(lt(a.get(0), a.get(1))),
        REFLECT, REFLECT));
    m.put("le", TemplateFunction.of("le", a -> new BoolValue(le(a.get(0), a.get(1))),
        REFLECT, REFLECT));
    m.put("gt", TemplateFunction.of("gt", a -> new BoolValue(!le(a.get(0), a.get(1))),
        REFLECT, REFLECT));
    m.put("ge", TemplateFunction.of("ge", a -> new BoolValue(!lt(a.get(0), a.get(1))),
        REFLECT, REFLECT));
    m.put("html", TemplateFunction.variadic("html",
        a -> new StringValue(htmlEscape(evalArgs(a))), ANY));
    m.put("js", TemplateFunction.variadic("js",
        a -> new StringValue(jsEscape(evalArgs(a))), ANY));
    m.put("urlquery", TemplateFunction.variadic("urlquery",
        a -> new StringValue(queryEscape(evalArgs(a))), ANY));
    m.put("call", CALL);
    return m;
  }

  /** Go's isTrue; the boolean is meaningful for every value kind Vigil models. */
  static boolean truth(Value v) {
    return switch (v) {
      case NilValue n -> false;
      case BoolValue b -> b.value();
      case IntValue i -> i.value() != 0;
      case FloatValue f -> f.value() != 0;
      case StringValue s -> !s.value().isEmpty();
      case ListValue l -> !l.items().isEmpty();
      case MapValue m -> !m.entries().isEmpty();
      case StructValue s -> true;
      case Value.TimeValue t -> true;
      case FuncValue f -> true;
    };
  }

  private static Value length(Value v) throws TemplateFunctionException {
    return switch (v) {
      case StringValue s -> new IntValue(s.value().getBytes(StandardCharsets.UTF_8).length);
      case ListValue l -> new IntValue(l.items().size());
      case MapValue m -> new IntValue(m.entries().size());
      case NilValue n -> throw new TemplateFunctionException("len of nil pointer");
      default -> throw new TemplateFunctionException("len of type " + v.goType());
    };
  }

  private static Value index(List<Value> a) throws TemplateFunctionException {
    Value item = a.getFirst();
    if (item instanceof NilValue) {
      throw new TemplateFunctionException("index of untyped nil");
    }
    for (Value idx : a.subList(1, a.size())) {
      switch (item) {
        case ListValue l -> item = l.items().get(indexArg(idx, l.items().size()));
        case StringValue s -> {
          byte[] bytes = s.value().getBytes(StandardCharsets.UTF_8);
          item = new IntValue(bytes[indexArg(idx, bytes.length)] & 0xff);
        }
        case MapValue m -> {
          if (!(idx instanceof StringValue key)) {
            throw new TemplateFunctionException(idx instanceof NilValue
                ? "value is nil; should be of type string"
                : "value has type " + idx.goType() + "; should be string");
          }
          Value found = m.entries().get(key.value());
          item = found != null ? found : m.zero();
        }
        case NilValue n -> throw new TemplateFunctionException("index of nil pointer");
        default -> throw new TemplateFunctionException(
            "can't index item of type " + item.goType());
      }
    }
    return item;
  }

  private static int indexArg(Value idx, int len) throws TemplateFunctionException {
    if (!(idx instanceof IntValue i)) {
      throw new TemplateFunctionException(idx instanceof NilValue
          ? "cannot index slice/array with nil"
          : "cannot index slice/array with type " + idx.goType());
    }
    if (i.value() < 0 || i.value() >= len) {
      throw new TemplateFunctionException("index out of range: " + i.value());
    }
    return (int) i.value();
  }

  private static Value slice(List<Value> a) throws TemplateFunctionException {
    Value item = a.getFirst();
    List<Value> idx = a.subList(1, a.size());
    if (idx.size() > 3) {
      throw new TemplateFunctionException("too many slice indexes: " + idx.size());
    }
    int len = switch (item) {
      case StringValue s -> s.value().getBytes(StandardCharsets.UTF_8).length;
      case ListValue l -> l.items().size();
      case NilValue n -> throw new TemplateFunctionException("slice of untyped nil");
      default -> throw new TemplateFunctionException("can't slice item of type " + item.goType());
    };
    if (item instanceof StringValue && idx.size() == 3) {
      throw new TemplateFunctionException("cannot 3-index slice a string");
    }
    int[] bounds = {0, len, len};
    for (int i = 0; i < idx.size(); i++) {
      if (!(idx.get(i) instanceof IntValue iv)) {
        throw new TemplateFunctionException(
            "cannot index slice/array with type " + idx.get(i).goType());
      }
      if (iv.value() < 0 || iv.value() > len) {
        throw new TemplateFunctionException("index out of range: " + iv.value());
      }
      bounds[i] = (int) iv.value();
    }
    if (bounds[0] > bounds[1]) {
      throw new TemplateFunctionException(
          "invalid slice index: " + bounds[0] + " > " + bounds[1]);
    }
    if (item instanceof StringValue s) {
      byte[] bytes = s.value().getBytes(StandardCharsets.UTF_8);
      return new StringValue(new String(bytes, bounds[0], bounds[1] - bounds[0],
          StandardCharsets.UTF_8), s.type());
    }
    ListValue l = (ListValue) item;
    return new ListValue(new ArrayList<>(l.items().subList(bounds[0], bounds[1])), l.type());
  }

  private enum BasicKind { BOOL, INT, FLOAT, STRING, INVALID, OTHER }

  private static BasicKind kind(Value v) {
    return switch (v) {
      case BoolValue b -> BasicKind.BOOL;
      case IntValue i -> BasicKind.INT;
      case FloatValue f -> BasicKind.FLOAT;
      case StringValue s -> BasicKind.STRING;
      case NilValue n -> BasicKind.INVALID;
      default -> BasicKind.OTHER;
    };
  }

  private static Value eq(List<Value> a) throws TemplateFunctionException {
    Value arg1 = a.getFirst();
    if (a.size() < 2) {
      throw new TemplateFunctionException("missing argument for comparison");
    }
    for (Value arg : a.subList(1, a.size())) {
      if (isEq(arg1, arg)) {
        return new BoolValue(true);
      }
    }
    return new BoolValue(false);
  }

  private static boolean isEq(Value a, Value b) throws TemplateFunctionException {
    BasicKind k1 = kind(a);
    BasicKind k2 = kind(b);
    if (k1 != k2) {
      if (k1 != BasicKind.INVALID && k2 != BasicKind.INVALID) {
        throw new TemplateFunctionException("incompatible types for comparison");
      }
      return false;
    }
    return switch (k1) {
      case BOOL -> ((BoolValue) a).value() == ((BoolValue) b).value();
      case INT -> ((IntValue) a).value() == ((IntValue) b).value();
      case FLOAT -> ((FloatValue) a).value() == ((FloatValue) b).value();
      case STRING -> ((StringValue) a).value().equals(((StringValue) b).value());
      case INVALID -> true;
      case OTHER -> {
        if (a instanceof ListValue || a instanceof MapValue || a instanceof FuncValue) {
          throw new TemplateFunctionException("non-comparable type " + GoFmt.formatV(a, 0)
              + ": " + a.goType());
        }
        yield a.equals(b);
      }
    };
  }

  private static boolean lt(Value a, Value b) throws TemplateFunctionException {
    BasicKind k1 = kind(a);
    BasicKind k2 = kind(b);
    if (k1 == BasicKind.INVALID || k1 == BasicKind.OTHER || k2 == BasicKind.INVALID
        || k2 == BasicKind.OTHER) {
      throw new TemplateFunctionException("invalid type for comparison");
    }
    if (k1 != k2) {
      throw new TemplateFunctionException("incompatible types for comparison");
    }
    return switch (k1) {
      case INT -> ((IntValue) a).value() < ((IntValue) b).value();
      case FLOAT -> ((FloatValue) a).value() < ((FloatValue) b).value();
      case STRING -> ((StringValue) a).value().compareTo(((StringValue) b).value()) < 0;
      default -> throw new TemplateFunctionException("invalid type for comparison");
    };
  }

  private static boolean le(Value a, Value b) throws TemplateFunctionException {
    return lt(a, b) || isEq(a, b);
  }

  /** Go's evalArgs: a single string is used as is, anything else goes through fmt.Sprint. */
  private static String evalArgs(List<Value> a) {
    if (a.size() == 1 && a.getFirst() instanceof StringValue s) {
      return s.value();
    }
    List<Value> printable = new ArrayList<>(a.size());
    for (Value v : a) {
      printable.add(v instanceof NilValue ? new StringValue("<no value>") : v);
    }
    return GoFmt.sprint(printable);
  }

  static String htmlEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case 0 -> sb.append('\uFFFD');
        case '"' -> sb.append("&#34;");
        case '\'' -> sb.append("&#39;");
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static String jsEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(r -> {
      switch (r) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '"' -> sb.append("\\\"");
        case '<' -> sb.append("\\u003C");
        case '>' -> sb.append("\\u003E");
        case '&' -> sb.append("\\u0026");
        case '=' -> sb.append("\\u003D");
        default -> {
          if (r < ' ' || (r >= 0x80 && !GoStrings.isPrint(r))) {
            sb.append(String.format("\\u%04X", r));
          } else {
            sb.appendCodePoint(r);
          }
        }
      }
    });
    return sb.toString();
  }

  /** Go's url.QueryEscape: like URLEncoder, except that '~' stays and '*' is escaped. */
  static String queryEscape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
  }

  private static Value call(List<Value> withName) throws TemplateFunctionException {
    String name = ((StringValue) withName.getFirst()).value();
    List<Value> a = withName.subList(1, withName.size());
    Value fn = a.getFirst();
    if (fn instanceof NilValue) {
      throw new TemplateFunctionException("call of nil");
    }
    if (!(fn instanceof FuncValue f)) {
      throw new TemplateFunctionException("non-function " + name + " of type " + fn.goType());
    }
    List<Value> args = a.subList(1, a.size());
    TemplateFunction tf = f.function();
    int fixed = tf.variadic() ? tf.params().size() - 1 : tf.params().size();
    if (tf.variadic() ? args.size() < fixed : args.size() != fixed) {
      throw new TemplateFunctionException("wrong number of args for " + name + ": got "
          + args.size() + " want " + (tf.variadic() ? "at least " : "") + fixed);
    }
    for (int i = 0; i < args.size(); i++) {
      ParamType p = tf.params().get(Math.min(i, tf.params().size() - 1));
      if (!p.accepts(args.get(i)) && !(args.get(i) instanceof NilValue && p.canBeNil())) {
        throw new TemplateFunctionException("arg " + i + ": value has type "
            + args.get(i).goType() + "; should be " + p.goName());
      }
    }
    return tf.body().apply(args);
  }
}

