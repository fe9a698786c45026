package dev.vigil.model.storage;

import java.util.List;

/** A cursor over series, sorted by labels when the caller asked for it. */
public interface SeriesSet {
  /** Advances to the next series; false when exhausted. */
  boolean next();

  /** The current series. */
  Series at();

  /** Non-fatal problems met while selecting (e.g. a partial result); empty normally. */
  default List<String> warnings() {
    return List.of();
  }

  SeriesSet EMPTY = new SeriesSet() {
    @Override
    public boolean next() {
      return false;
    }

    @Override
    public Series at() {
      throw new IllegalStateException("empty series set");
    }
  };
}
