package dev.vigil.server.tenant;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.exemplar.ExemplarQueryable;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.Storage;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * One tenant's store as requests see it. Every appender (until commit or rollback) and every
 * querier (until closed) holds a lease on the open instance; {@link #closeIfIdle} closes it only
 * without leases, and under the same lock as the opening, so a request never writes to a closed
 * store and a reopen never finds the old instance still holding the directory. After an idle
 * close the next use opens the store again.
 */
public final class TenantHandle implements Storage, ExemplarQueryable {
  private static final System.Logger LOG = System.getLogger(TenantHandle.class.getName());

  private final String tenant;
  private final Supplier<Storage> opener;
  private final Clock clock;
  private Storage current; // guarded by this; null while closed
  private int leases; // guarded by this
  private long lastUsedMillis; // guarded by this
  private boolean shut; // guarded by this

  TenantHandle(String tenant, Supplier<Storage> opener, Clock clock) {
    this.tenant = tenant;
    this.opener = opener;
    this.clock = clock;
  }

  /**
   * The open instance, or null when closed. Stable while the caller holds a lease (between
   * {@code appender()} and its commit, or a querier's life); a snapshot otherwise.
   */
  public synchronized Storage current() {
    return current;
  }

  /**
   * The store behind {@code s} if it is a handle (null while closed), else {@code s}: for what
   * needs the engine itself, such as the TSDB head's series count.
   */
  public static Storage unwrap(Storage s) {
    return s instanceof TenantHandle h ? h.current() : s;
  }

  private synchronized Storage lease() {
    if (shut) {
      throw new IllegalStateException("tenant storages are closed");
    }
    if (current == null) {
      current = opener.get();
    }
    leases++;
    lastUsedMillis = clock.millis();
    return current;
  }

  private synchronized void release() {
    leases--;
    lastUsedMillis = clock.millis();
  }

  /** Opens the store now (a write needs it, and open errors belong to the request). */
  void open() {
    lease();
    release();
  }

  /**
   * Runs {@code action} on the open instance under the lock that opening and closing take;
   * false (and nothing run) while closed. Neither counts as a use nor takes a lease.
   */
  synchronized boolean ifOpen(java.util.function.Consumer<Storage> action) {
    if (current == null) {
      return false;
    }
    action.accept(current);
    return true;
  }

  /** Closes the instance if it has no lease and was last used at or before the cutoff. */
  synchronized boolean closeIfIdle(long cutoffMillis) {
    if (current == null || leases > 0 || lastUsedMillis > cutoffMillis) {
      return false;
    }
    LOG.log(System.Logger.Level.INFO, "closing storage of idle tenant {0}", tenant);
    closeCurrent();
    return true;
  }

  /** Closes the instance for good (server shutdown); leases still out fail on their next use. */
  synchronized void shutdown() {
    shut = true;
    closeCurrent();
  }

  private void closeCurrent() {
    Storage s = current;
    current = null;
    if (s instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.ERROR, "closing storage of tenant " + tenant + " failed", e);
      }
    }
  }

  @Override
  public Appender appender() {
    Storage s = lease();
    try {
      return new LeasedAppender(s.appender());
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  @Override
  public boolean ingestsStartTimestamps() {
    Storage s = lease();
    try {
      return s.ingestsStartTimestamps();
    } finally {
      release();
    }
  }

  @Override
  public Querier querier(long minT, long maxT) {
    Storage s = lease();
    try {
      return new LeasedQuerier(s.querier(minT, maxT));
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  /** Applies {@code read} to the open store (opened if needed) under a lease, as a query. */
  public <T> T read(java.util.function.Function<Storage, T> read) {
    Storage s = lease();
    try {
      return read.apply(s);
    } finally {
      release();
    }
  }

  /** The store's exemplars (none for a store that keeps none), under a lease like a query. */
  @Override
  public List<ExemplarSeries> selectExemplars(long minT, long maxT,
      List<List<Matcher>> matcherSets) {
    Storage s = lease();
    try {
      return s instanceof ExemplarQueryable q ? q.selectExemplars(minT, maxT, matcherSets)
          : List.of();
    } finally {
      release();
    }
  }

  private final class LeasedAppender implements Appender {
    private final Appender delegate;
    private boolean done;

    LeasedAppender(Appender delegate) {
      this.delegate = delegate;
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) {
      return delegate.append(ref, labels, t, v);
    }

    @Override
    public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) {
      return delegate.appendHistogram(ref, labels, t, h);
    }

    @Override
    public long appendWithStart(long ref, Labels labels, long st, long t, double v) {
      return delegate.appendWithStart(ref, labels, st, t, v);
    }

    @Override
    public long appendHistogramWithStart(long ref, Labels labels, long st, long t,
        FloatHistogram h) {
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
      try {
        delegate.commit();
      } finally {
        end();
      }
    }

    @Override
    public void rollback() {
      try {
        delegate.rollback();
      } finally {
        end();
      }
    }

    private void end() {
      if (!done) {
        done = true;
        release();
      }
    }
  }

  private final class LeasedQuerier implements Querier {
    private final Querier delegate;
    private boolean closed;

    LeasedQuerier(Querier delegate) {
      this.delegate = delegate;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      return delegate.select(sorted, hints, matchers);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
      return delegate.labelValues(name, matchers);
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
      return delegate.labelNames(matchers);
    }

    @Override
    public void close() {
      try {
        delegate.close();
      } finally {
        if (!closed) {
          closed = true;
          release();
        }
      }
    }
  }
}
