package dev.vigil.model.histogram;

/**
 * A run of {@code length} consecutive buckets starting {@code offset} buckets after the end of the
 * previous span (or at bucket index {@code offset} for the first span).
 */
public record Span(int offset, int length) {
  public Span {
    if (length < 0) {
      throw new IllegalArgumentException("negative span length " + length);
    }
  }
}
