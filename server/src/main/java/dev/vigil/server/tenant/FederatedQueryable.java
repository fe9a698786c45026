package dev.vigil.server.tenant;

import dev.vigil.model.exemplar.ExemplarQueryable;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.Series;
import dev.vigil.model.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads several tenants as one, as Mimir's tenant federation does: every series gets a
 * {@code __tenant_id__} label naming its tenant, and matchers on that label choose which
 * tenants are read at all.
 */
public final class FederatedQueryable implements Queryable, ExemplarQueryable {
  public static final String TENANT_LABEL = "__tenant_id__";

  private final Map<String, Queryable> tenants; // sorted by tenant ID

  /** @param tenants tenant ID to that tenant's store, iterated in ID order */
  public FederatedQueryable(Map<String, Queryable> tenants) {
    this.tenants = tenants;
  }

  @Override
  public Querier querier(long minT, long maxT) {
    return new FederatedQuerier(minT, maxT);
  }

  /**
   * Every tenant's exemplars with {@code __tenant_id__} added to the series labels, as Mimir's
   * federated exemplar querier; a matcher set's {@code __tenant_id__} matchers choose the
   * tenants it is sent to.
   */
  @Override
  public List<ExemplarSeries> selectExemplars(long minT, long maxT,
      List<List<Matcher>> matcherSets) {
    List<ExemplarSeries> out = new ArrayList<>();
    for (var e : tenants.entrySet()) {
      String tenant = e.getKey();
      if (!(e.getValue() instanceof ExemplarQueryable q)) {
        continue;
      }
      List<List<Matcher>> sets = new ArrayList<>();
      for (List<Matcher> set : matcherSets) {
        boolean selected = true;
        List<Matcher> rest = new ArrayList<>(set.size());
        for (Matcher m : set) {
          if (!m.name().equals(TENANT_LABEL)) {
            rest.add(m);
          } else if (!m.matches(tenant)) {
            selected = false;
          }
        }
        if (selected) {
          sets.add(rest);
        }
      }
      if (sets.isEmpty()) {
        continue;
      }
      for (ExemplarSeries s : q.selectExemplars(minT, maxT, sets)) {
        out.add(new ExemplarSeries(s.seriesLabels().toBuilder().set(TENANT_LABEL, tenant).build(),
            s.exemplars()));
      }
    }
    out.sort(Comparator.comparing(ExemplarSeries::seriesLabels));
    return out;
  }

  private final class FederatedQuerier implements Querier {
    private final long minT;
    private final long maxT;
    private final List<Querier> opened = new ArrayList<>();

    FederatedQuerier(long minT, long maxT) {
      this.minT = minT;
      this.maxT = maxT;
    }

    /** The tenants whose ID satisfies every {@code __tenant_id__} matcher. */
    private List<String> selected(List<Matcher> matchers) {
      List<String> out = new ArrayList<>();
      for (String t : tenants.keySet()) {
        boolean ok = true;
        for (Matcher m : matchers) {
          if (m.name().equals(TENANT_LABEL) && !m.matches(t)) {
            ok = false;
            break;
          }
        }
        if (ok) {
          out.add(t);
        }
      }
      return out;
    }

    private static List<Matcher> withoutTenantMatchers(List<Matcher> matchers) {
      List<Matcher> out = new ArrayList<>(matchers.size());
      for (Matcher m : matchers) {
        if (!m.name().equals(TENANT_LABEL)) {
          out.add(m);
        }
      }
      return out;
    }

    private Querier open(String tenant) {
      Querier q = tenants.get(tenant).querier(minT, maxT);
      opened.add(q);
      return q;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      List<Matcher> rest = withoutTenantMatchers(matchers);
      List<Series> all = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      for (String t : selected(matchers)) {
        SeriesSet ss = open(t).select(sorted, hints, rest);
        while (ss.next()) {
          all.add(new TenantSeries(ss.at(), t));
        }
        warnings.addAll(ss.warnings());
      }
      if (sorted) {
        all.sort(Comparator.comparing(Series::labels));
      }
      return new ListSeriesSet(all, warnings);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
      List<String> tenantsSelected = selected(matchers);
      if (name.equals(TENANT_LABEL)) {
        return tenantsSelected;
      }
      List<Matcher> rest = withoutTenantMatchers(matchers);
      TreeSet<String> out = new TreeSet<>();
      for (String t : tenantsSelected) {
        out.addAll(open(t).labelValues(name, rest));
      }
      return new ArrayList<>(out);
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
      List<Matcher> rest = withoutTenantMatchers(matchers);
      TreeSet<String> out = new TreeSet<>();
      for (String t : selected(matchers)) {
        List<String> names = open(t).labelNames(rest);
        if (!names.isEmpty()) {
          out.addAll(names);
          out.add(TENANT_LABEL);
        }
      }
      return new ArrayList<>(out);
    }

    @Override
    public void close() {
      for (Querier q : opened) {
        q.close();
      }
      opened.clear();
    }
  }

  /** A tenant's series with {@code __tenant_id__} added. */
  private static final class TenantSeries implements Series {
    private final Series inner;
    private final Labels labels;

    TenantSeries(Series inner, String tenant) {
      this.inner = inner;
      this.labels = inner.labels().toBuilder().set(TENANT_LABEL, tenant).build();
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      return inner.iterator(reuse);
    }
  }

  private static final class ListSeriesSet implements SeriesSet {
    private final List<Series> series;
    private final List<String> warnings;
    private int i = -1;

    ListSeriesSet(List<Series> series, List<String> warnings) {
      this.series = series;
      this.warnings = warnings;
    }

    @Override
    public boolean next() {
      return ++i < series.size();
    }

    @Override
    public Series at() {
      return series.get(i);
    }

    @Override
    public List<String> warnings() {
      return warnings;
    }
  }
}
