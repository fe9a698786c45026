package dev.vigil.server.tenant;

import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import java.util.List;

/** The store of a tenant that never wrote anything: no series, no labels. */
public final class EmptyQueryable implements Queryable {
  public static final EmptyQueryable INSTANCE = new EmptyQueryable();

  private EmptyQueryable() {}

  @Override
  public Querier querier(long minT, long maxT) {
    return new Querier() {
      @Override
      public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
        return SeriesSet.EMPTY;
      }

      @Override
      public List<String> labelValues(String name, List<Matcher> matchers) {
        return List.of();
      }

      @Override
      public List<String> labelNames(List<Matcher> matchers) {
        return List.of();
      }

      @Override
      public void close() {}
    };
  }
}
