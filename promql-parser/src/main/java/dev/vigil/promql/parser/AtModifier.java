package dev.vigil.promql.parser;

/** The {@code @} modifier: a fixed timestamp, or the query's {@code start()} / {@code end()}. */
public record AtModifier(Kind kind, long timestampMillis) {
  public enum Kind {
    TIMESTAMP,
    START,
    END
  }

  public static AtModifier at(long timestampMillis) {
    return new AtModifier(Kind.TIMESTAMP, timestampMillis);
  }

  public static final AtModifier START = new AtModifier(Kind.START, 0);
  public static final AtModifier END = new AtModifier(Kind.END, 0);
}
