package dev.vigil.mixin.render;

/** A Jsonnet parse or evaluation error; the message carries file:line:column and the stack. */
public final class JsonnetException extends RuntimeException {
  public JsonnetException(String message) {
    super(message);
  }
}
