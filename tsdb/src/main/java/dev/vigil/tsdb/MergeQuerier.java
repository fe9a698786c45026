package dev.vigil.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.Series;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.tsdb.head.MergeIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads several queriers (head and blocks) as one. Series with equal labels are merged, their
 * samples too; on equal timestamps the querier listed first wins (the head, holding the newest
 * writes). Each input must return series sorted by labels, which head and blocks always do.
 */
final class MergeQuerier implements Querier {
  private final List<Querier> queriers;

  MergeQuerier(List<Querier> queriers) {
    this.queriers = queriers;
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
    if (queriers.size() == 1) {
      return queriers.get(0).select(sorted, hints, matchers);
    }
    SeriesSet[] sets = new SeriesSet[queriers.size()];
    for (int i = 0; i < sets.length; i++) {
      sets[i] = queriers.get(i).select(true, hints, matchers);
    }
    return new MergedSet(sets);
  }

  private static final class MergedSet implements SeriesSet {
    private final SeriesSet[] sets;
    private final Series[] heads;
    private boolean started;
    private Series cur;

    MergedSet(SeriesSet[] sets) {
      this.sets = sets;
      this.heads = new Series[sets.length];
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        for (int i = 0; i < sets.length; i++) {
          heads[i] = sets[i].next() ? sets[i].at() : null;
        }
      }
      Labels min = null;
      for (Series s : heads) {
        if (s != null && (min == null || s.labels().compareTo(min) < 0)) {
          min = s.labels();
        }
      }
      if (min == null) {
        cur = null;
        return false;
      }
      List<Series> same = new ArrayList<>(2);
      for (int i = 0; i < heads.length; i++) {
        if (heads[i] != null && heads[i].labels().equals(min)) {
          same.add(heads[i]);
          heads[i] = sets[i].next() ? sets[i].at() : null;
        }
      }
      cur = same.size() == 1 ? same.get(0) : new MergedSeries(min, same);
      return true;
    }

    @Override
    public Series at() {
      return cur;
    }

    @Override
    public List<String> warnings() {
      List<String> w = new ArrayList<>();
      for (SeriesSet s : sets) {
        w.addAll(s.warnings());
      }
      return w;
    }
  }

  private record MergedSeries(Labels labels, List<Series> parts) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      SampleIterator it = parts.getLast().iterator(null);
      for (int i = parts.size() - 2; i >= 0; i--) {
        it = new MergeIterator(parts.get(i).iterator(null), it);
      }
      return it;
    }
  }

  @Override
  public List<String> labelValues(String name, List<Matcher> matchers) {
    TreeSet<String> out = new TreeSet<>();
    for (Querier q : queriers) {
      out.addAll(q.labelValues(name, matchers));
    }
    return List.copyOf(out);
  }

  @Override
  public List<String> labelNames(List<Matcher> matchers) {
    TreeSet<String> out = new TreeSet<>();
    for (Querier q : queriers) {
      out.addAll(q.labelNames(matchers));
    }
    return List.copyOf(out);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (Querier q : queriers) {
      try {
        q.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
