package dev.vigil.model.storage;

/** Something samples can be written to. */
public interface Appendable {
  Appender appender();
}
