package dev.vigil.model.storage;

/** What a {@link SampleIterator} is positioned on. */
public enum ValueKind {
  /** Exhausted: no sample. */
  NONE,
  FLOAT,
  HISTOGRAM
}
