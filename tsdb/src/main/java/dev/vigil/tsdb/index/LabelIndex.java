package dev.vigil.tsdb.index;

import org.roaringbitmap.RoaringBitmap;

/**
 * An inverted index as {@link PostingsForMatchers} needs it: the values of a label name and
 * the series ids per (name, value). Implemented by the head's in-memory postings and by the
 * block {@link IndexReader}. Returned bitmaps may be shared: callers must not modify them.
 */
public interface LabelIndex {
  /** Calls {@code visitor} with each value of {@code name} (any order) and its postings. */
  void forEachValue(String name, ValueVisitor visitor);

  /** Postings of {@code name=value}, or null when no series has that pair. */
  RoaringBitmap postings(String name, String value);

  /** Ids of all series. */
  RoaringBitmap all();

  @FunctionalInterface
  interface ValueVisitor {
    void visit(String value, RoaringBitmap postings);
  }
}
