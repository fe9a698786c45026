package dev.vigil.rules.template;

import java.util.List;

/**
 * A function callable from a template, with its Go signature so that argument conversion and
 * arity errors follow Go's reflection-based rules.
 *
 * @param variadic the last parameter is {@code ...T}; {@code params}' last entry is T
 */
public record TemplateFunction(String name, List<ParamType> params, boolean variadic, Body body) {

  public TemplateFunction {
    params = List.copyOf(params);
  }

  /** The implementation; arguments arrive converted to the declared parameter types. */
  @FunctionalInterface
  public interface Body {
    Value apply(List<Value> args) throws TemplateFunctionException;
  }

  public static TemplateFunction of(String name, Body body, ParamType... params) {
    return new TemplateFunction(name, List.of(params), false, body);
  }

  public static TemplateFunction variadic(String name, Body body, ParamType... params) {
    return new TemplateFunction(name, List.of(params), true, body);
  }
}
