package dev.vigil.rules.template;

/**
 * The declared Go type of a function parameter. It decides how literal arguments are converted
 * (Go's evalArg) and which evaluated values are accepted (Go's validateType).
 *
 * @param goName the type as Go prints it in "wrong type for value; expected X; got Y"
 */
public record ParamType(String goName, Kind kind) {

  public enum Kind {
    STRING, FLOAT, INT, BOOL,
    /** {@code interface{}}: anything, literals take their ideal-constant type. */
    ANY,
    /** {@code reflect.Value}, used by Go's comparison and collection builtins. */
    REFLECT,
    /** A specific nillable named type (slice or pointer), matched by {@link Value#goType()}. */
    NAMED
  }

  public static final ParamType STRING = new ParamType("string", Kind.STRING);
  public static final ParamType FLOAT = new ParamType("float64", Kind.FLOAT);
  public static final ParamType INT = new ParamType("int", Kind.INT);
  public static final ParamType BOOL = new ParamType("bool", Kind.BOOL);
  public static final ParamType ANY = new ParamType("interface {}", Kind.ANY);
  public static final ParamType REFLECT = new ParamType("reflect.Value", Kind.REFLECT);

  public static ParamType named(String goName) {
    return new ParamType(goName, Kind.NAMED);
  }

  boolean canBeNil() {
    return kind == Kind.ANY || kind == Kind.NAMED;
  }

  boolean accepts(Value v) {
    return switch (kind) {
      case STRING -> v instanceof Value.StringValue s && s.type().equals("string");
      case FLOAT -> v instanceof Value.FloatValue;
      case INT -> v instanceof Value.IntValue;
      case BOOL -> v instanceof Value.BoolValue;
      case ANY, REFLECT -> true;
      case NAMED -> v.goType().equals(goName);
    };
  }
}
