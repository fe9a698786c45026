package dev.vigil.rules.template;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A value seen by a template, typed the way Go's reflection would see it. Go's template semantics
 * depend on dynamic types (int vs float64 in comparisons, map zero values under
 * {@code missingkey=zero}, {@code %d} of a float), so values keep their Go type name.
 */
public sealed interface Value {

  /** Go's name of the dynamic type, as printed in error messages ({@code float64}, ...). */
  String goType();

  /** The untyped nil / invalid reflect.Value: a missing field, {@code nil}. */
  NilValue NIL = new NilValue();

  record NilValue() implements Value {
    @Override
    public String goType() {
      return "<nil>";
    }
  }

  record BoolValue(boolean value) implements Value {
    @Override
    public String goType() {
      return "bool";
    }
  }

  /** Go {@code int} (64 bits on every platform Prometheus ships for). */
  record IntValue(long value) implements Value {
    @Override
    public String goType() {
      return "int";
    }
  }

  record FloatValue(double value) implements Value {
    @Override
    public String goType() {
      return "float64";
    }
  }

  /** @param type "string" or a named string type such as {@code template.HTML} */
  record StringValue(String value, String type) implements Value {
    public StringValue(String value) {
      this(value, "string");
    }

    @Override
    public String goType() {
      return type;
    }
  }

  record ListValue(List<Value> items, String type) implements Value {
    public ListValue {
      items = List.copyOf(items);
    }

    @Override
    public String goType() {
      return type;
    }
  }

  /**
   * A Go map with string keys; iteration and printing are in key order, as Go's do.
   *
   * @param zero the element type's zero value, returned for missing keys ({@code missingkey=zero})
   */
  record MapValue(SortedMap<String, Value> entries, Value zero, String type) implements Value {
    public MapValue {
      entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    /** A Go {@code map[string]string}. */
    public static MapValue ofStrings(Map<String, String> map) {
      TreeMap<String, Value> m = new TreeMap<>();
      map.forEach((k, v) -> m.put(k, new StringValue(v)));
      return new MapValue(m, new StringValue(""), "map[string]string");
    }

    @Override
    public String goType() {
      return type;
    }
  }

  /** A Go struct (or pointer to struct) with exported fields in declaration order. */
  record StructValue(Map<String, Value> fields, String type, boolean pointer) implements Value {
    public StructValue {
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public String goType() {
      return type;
    }
  }

  /** A Go {@code *time.Time}, always in UTC like Prometheus's {@code toTime}. */
  record TimeValue(Instant instant) implements Value {
    @Override
    public String goType() {
      return "*time.Time";
    }
  }

  /** A function value, for {@code call}. */
  record FuncValue(TemplateFunction function) implements Value {
    @Override
    public String goType() {
      return "func";
    }
  }

  /**
   * Converts plain Java data into template values: null, Boolean, integral and floating Numbers,
   * CharSequence, Map (string keys; {@code map[string]string} if all values are strings), List and
   * Value itself.
   */
  static Value of(Object o) {
    return switch (o) {
      case null -> NIL;
      case Value v -> v;
      case Boolean b -> new BoolValue(b);
      case Double d -> new FloatValue(d);
      case Float f -> new FloatValue(f);
      case Number n -> new IntValue(n.longValue());
      case CharSequence s -> new StringValue(s.toString());
      case Map<?, ?> m -> {
        boolean allStrings = m.values().stream().allMatch(v -> v instanceof CharSequence);
        TreeMap<String, Value> entries = new TreeMap<>();
        m.forEach((k, v) -> entries.put(String.valueOf(k), of(v)));
        yield allStrings
            ? new MapValue(entries, new StringValue(""), "map[string]string")
            : new MapValue(entries, NIL, "map[string]interface {}");
      }
      case List<?> l -> {
        List<Value> items = new ArrayList<>(l.size());
        l.forEach(x -> items.add(of(x)));
        yield new ListValue(items, "[]interface {}");
      }
      default -> throw new IllegalArgumentException(
          "no template representation for " + o.getClass().getName() + ": " + o);
    };
  }
}
