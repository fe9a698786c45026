package dev.vigil.server.ingest;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.Storage;
import dev.vigil.protocol.remote.LimitExceededException;
import dev.vigil.protocol.remote.RejectReason;
import dev.vigil.server.tenant.TenantHandle;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.head.Head;
import java.util.ArrayList;
import java.util.List;

/**
 * Mimir's {@code max_global_series_per_user}: while the tenant's head holds fewer series than
 * the limit every append passes untouched (one volatile read); at the limit, an append of a
 * series the head does not know is refused with Mimir's message and counted as
 * {@code per_user_series_limit}, while samples of existing series still go in. The head is
 * asked through its querier, so no TSDB change was needed; that lookup only runs at the limit.
 *
 * <p>Concurrent pushes may overshoot the limit by the new series they add at once, as Mimir's
 * ingesters may. The head drops series left without samples at each block cut (see the tsdb
 * README), so the count follows the series active in the head, as Mimir's does. Only TSDB-backed
 * tenants are limited; other stores pass. The ruler's writes go through it too (as Mimir's
 * ruler writes through the distributor).
 */
public final class SeriesLimit implements Appender {
  private final Head head;
  private final Appender delegate;
  private final int limit;

  private SeriesLimit(Head head, Appender delegate, int limit) {
    this.head = head;
    this.delegate = delegate;
    this.limit = limit;
  }

  /** {@code app} limited to {@code limit} series of {@code storage}'s head (0: unlimited). */
  public static Appender wrap(Storage storage, Appender app, int limit) {
    // The appender's lease keeps the handle's store open and the same until its commit.
    if (limit <= 0 || !(TenantHandle.unwrap(storage) instanceof Tsdb tsdb)) {
      return app;
    }
    return new SeriesLimit(tsdb.head(), app, limit);
  }

  /** Mimir's text, from its ingester's per-user series limit error. */
  static String message(int limit) {
    return "per-user series limit of " + limit + " exceeded ("
        + RejectReason.PER_USER_SERIES_LIMIT.errorId() + "). To adjust the related per-tenant "
        + "limit, configure -ingester.max-global-series-per-user, or contact your service "
        + "administrator.";
  }

  private void check(long ref, Labels labels) {
    if (ref != 0 || head.numSeries() < limit || exists(labels)) {
      return;
    }
    throw new LimitExceededException(RejectReason.PER_USER_SERIES_LIMIT, message(limit));
  }

  private boolean exists(Labels labels) {
    List<Matcher> matchers = new ArrayList<>(labels.size());
    labels.forEach((n, v) -> matchers.add(Matcher.equal(n, v)));
    SelectHints hints = new SelectHints(Long.MIN_VALUE, Long.MAX_VALUE, 0, "series", List.of(),
        false, 0);
    try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet s = q.select(false, hints, matchers);
      while (s.next()) {
        if (s.at().labels().size() == labels.size()) {
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public long append(long ref, Labels labels, long t, double v) {
    check(ref, labels);
    return delegate.append(ref, labels, t, v);
  }

  @Override
  public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) {
    check(ref, labels);
    return delegate.appendHistogram(ref, labels, t, h);
  }

  @Override
  public long appendWithStart(long ref, Labels labels, long st, long t, double v) {
    check(ref, labels);
    return delegate.appendWithStart(ref, labels, st, t, v);
  }

  @Override
  public long appendHistogramWithStart(long ref, Labels labels, long st, long t,
      FloatHistogram h) {
    check(ref, labels);
    return delegate.appendHistogramWithStart(ref, labels, st, t, h);
  }

  @Override
  public long appendExemplar(long ref, Labels labels, Exemplar exemplar) {
    return delegate.appendExemplar(ref, labels, exemplar);
  }

  @Override
  public long updateMetadata(long ref, Labels labels, Metadata metadata) {
    return delegate.updateMetadata(ref, labels, metadata);
  }

  @Override
  public void commit() {
    delegate.commit();
  }

  @Override
  public void rollback() {
    delegate.rollback();
  }
}
