package dev.vigil.server.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FederatedQueryableTest {
  private static InMemoryStorage store(String... jobs) {
    InMemoryStorage s = new InMemoryStorage();
    Appender app = s.appender();
    for (String job : jobs) {
      app.append(0, Labels.of("__name__", "up", "job", job), 1000, 1);
    }
    app.commit();
    return s;
  }

  private static List<String> select(Queryable q, Matcher... ms) {
    List<String> out = new ArrayList<>();
    try (Querier querier = q.querier(0, 2000)) {
      SeriesSet set = querier.select(true, SelectHints.range(0, 2000), List.of(ms));
      while (set.next()) {
        out.add(set.at().labels().toString());
      }
    }
    return out;
  }

  private final FederatedQueryable fed;

  FederatedQueryableTest() {
    Map<String, Queryable> m = new LinkedHashMap<>();
    m.put("a", store("x", "y"));
    m.put("b", store("x"));
    m.put("c", EmptyQueryable.INSTANCE);
    fed = new FederatedQueryable(m);
  }

  @Test
  void seriesCarryTheirTenantAndComeSorted() {
    assertThat(select(fed, Matcher.equal("__name__", "up"))).containsExactly(
        "{__name__=\"up\", __tenant_id__=\"a\", job=\"x\"}",
        "{__name__=\"up\", __tenant_id__=\"a\", job=\"y\"}",
        "{__name__=\"up\", __tenant_id__=\"b\", job=\"x\"}");
  }

  @Test
  void tenantMatchersChooseTenants() {
    assertThat(select(fed, Matcher.equal("__name__", "up"),
        Matcher.of(MatchType.NOT_EQUAL, "__tenant_id__", "a")))
        .containsExactly("{__name__=\"up\", __tenant_id__=\"b\", job=\"x\"}");
    try (Querier q = fed.querier(0, 2000)) {
      assertThat(q.labelValues("__tenant_id__", List.of())).containsExactly("a", "b", "c");
      assertThat(q.labelValues("job", List.of(Matcher.equal("__tenant_id__", "b"))))
          .containsExactly("x");
      assertThat(q.labelNames(List.of())).containsExactly("__name__", "__tenant_id__", "job");
    }
  }

  private static dev.vigil.tsdb.head.Head headWithExemplar(String job, String trace) {
    var head = new dev.vigil.tsdb.head.Head(dev.vigil.tsdb.head.HeadOptions.defaults(),
        dev.vigil.tsdb.head.CommitLog.NONE);
    Appender app = head.appender();
    Labels l = Labels.of("__name__", "up", "job", job);
    long ref = app.append(0, l, 1000, 1);
    app.appendExemplar(ref, l, new dev.vigil.model.exemplar.Exemplar(
        Labels.of("trace_id", trace), 1, 1000));
    app.commit();
    return head;
  }

  @Test
  void exemplarsOfEveryTenantCarryTheirTenantAndTenantMatchersChooseTenants() {
    Map<String, Queryable> m = new LinkedHashMap<>();
    m.put("a", headWithExemplar("x", "t-a"));
    m.put("b", headWithExemplar("x", "t-b"));
    m.put("c", EmptyQueryable.INSTANCE); // keeps no exemplars: contributes none
    FederatedQueryable f = new FederatedQueryable(m);
    Matcher up = Matcher.equal("__name__", "up");
    assertThat(f.selectExemplars(0, 2000, List.of(List.of(up))))
        .extracting(e -> e.seriesLabels().get(FederatedQueryable.TENANT_LABEL) + " "
            + e.exemplars().get(0).labels().get("trace_id"))
        .containsExactly("a t-a", "b t-b");
    assertThat(f.selectExemplars(0, 2000, List.of(List.of(up,
        Matcher.of(MatchType.NOT_EQUAL, FederatedQueryable.TENANT_LABEL, "a")))))
        .extracting(e -> e.seriesLabels().toString())
        .containsExactly("{__name__=\"up\", __tenant_id__=\"b\", job=\"x\"}");
    assertThat(f.selectExemplars(0, 999, List.of(List.of(up)))).isEmpty();
  }
}
