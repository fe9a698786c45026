package dev.vigil.rules.template;

/**
 * The outcome of executing a template. Execution errors are values, never exceptions: an alert
 * with a broken annotation must still fire.
 */
public sealed interface Expansion {

  record Success(String text) implements Expansion {}

  /** @param message Go's text, e.g. {@code template: t:1:2: executing "t" at <.X>: ...} */
  record Failure(String message) implements Expansion {}
}
