package dev.vigil.promql.engine;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.Series;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.promql.functions.StepVector;
import dev.vigil.promql.parser.AggregateExpr;
import dev.vigil.promql.parser.AtModifier;
import dev.vigil.promql.parser.BinaryExpr;
import dev.vigil.promql.parser.Call;
import dev.vigil.promql.parser.DurationExpr;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.MatrixSelector;
import dev.vigil.promql.parser.NumberLiteral;
import dev.vigil.promql.parser.ParenExpr;
import dev.vigil.promql.parser.StringLiteral;
import dev.vigil.promql.parser.SubqueryExpr;
import dev.vigil.promql.parser.UnaryExpr;
import dev.vigil.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The experimental {@code info(v [, {data label selectors}])}: adds the data labels of info
 * metrics ({@code target_info} by default) that share the identifying labels {@code instance}
 * and {@code job} with each series of {@code v}, at each step (Prometheus's promql/info.go).
 */
final class InfoFunction {
  private static final String TARGET_INFO = "target_info";
  private static final List<String> IDENTIFYING = List.of("instance", "job");

  private final Evaluator ev;
  private final Call call;

  InfoFunction(Evaluator ev, Call call) {
    this.ev = ev;
    this.call = call;
  }

  /** The @ and offset of the first selector of {@code e}, adjusted by enclosing subqueries. */
  private static final class TimeAndOffset {
    AtModifier at;
    Expr offset;
    final List<SubqueryExpr> path = new ArrayList<>();
    boolean found;
  }

  private static boolean findFirstSelector(Expr e, List<SubqueryExpr> path, TimeAndOffset out) {
    return switch (e) {
      case VectorSelector vs -> {
        out.found = true;
        out.at = vs.at();
        out.offset = vs.offset();
        out.path.addAll(path);
        yield true;
      }
      case MatrixSelector ms -> findFirstSelector(ms.vectorSelector(), path, out);
      case SubqueryExpr sq -> {
        path.add(sq);
        boolean r = findFirstSelector(sq.expr(), path, out);
        path.remove(path.size() - 1);
        yield r;
      }
      case AggregateExpr a -> (a.param() != null && findFirstSelector(a.param(), path, out))
          || findFirstSelector(a.expr(), path, out);
      case BinaryExpr b -> findFirstSelector(b.lhs(), path, out)
          || findFirstSelector(b.rhs(), path, out);
      case Call c -> {
        for (Expr a : c.args()) {
          if (findFirstSelector(a, path, out)) {
            yield true;
          }
        }
        yield false;
      }
      case ParenExpr p -> findFirstSelector(p.expr(), path, out);
      case UnaryExpr u -> findFirstSelector(u.expr(), path, out);
      case DurationExpr d -> false;
      case NumberLiteral n -> false;
      case StringLiteral s -> false;
    };
  }

  List<SeriesPoints> eval() {
    Expr arg0 = call.args().get(0);
    TimeAndOffset to = new TimeAndOffset();
    findFirstSelector(arg0, new ArrayList<>(), to);
    long at = ev.atMillis(to.at);
    long offset = ev.durationMillis(to.offset, true);
    for (int i = to.path.size() - 1; at == Long.MIN_VALUE && i >= 0; i--) {
      SubqueryExpr sq = to.path.get(i);
      offset += ev.durationMillis(sq.offset(), true);
      at = ev.atMillis(sq.at());
    }

    List<SeriesPoints> mat = ev.eval(arg0);
    Map<String, List<Matcher>> dataMatchers = new LinkedHashMap<>();
    List<Matcher> infoNameMatchers = new ArrayList<>();
    if (call.args().size() > 1) {
      Expr sel = call.args().get(1);
      while (sel instanceof ParenExpr p) {
        sel = p.expr();
      }
      for (Matcher m : ((VectorSelector) sel).matchers()) {
        dataMatchers.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
        if (m.name().equals(Labels.METRIC_NAME)) {
          infoNameMatchers.add(m);
        }
      }
    } else {
      infoNameMatchers.add(Matcher.equal(Labels.METRIC_NAME, TARGET_INFO));
    }

    List<Matcher> effective = effectiveNameMatchers(infoNameMatchers);
    Set<Labels> ignore = new HashSet<>();
    for (SeriesPoints s : mat) {
      String name = s.labels.metricName();
      boolean all = true;
      for (Matcher m : effective) {
        if (!m.matches(name)) {
          all = false;
          break;
        }
      }
      if (all) {
        ignore.add(s.labels);
      }
    }

    List<SeriesPoints> infoMat = fetchInfoSeries(mat, ignore, dataMatchers, at, offset);
    return combine(mat, infoMat, ignore, dataMatchers);
  }

  private static List<Matcher> effectiveNameMatchers(List<Matcher> matchers) {
    for (Matcher m : matchers) {
      if (m.type() == MatchType.EQUAL || m.type() == MatchType.REGEX) {
        return matchers;
      }
    }
    if (!matchers.isEmpty()) {
      List<Matcher> out = new ArrayList<>();
      out.add(Matcher.of(MatchType.REGEX, Labels.METRIC_NAME, ".+_info"));
      out.addAll(matchers);
      return out;
    }
    return List.of(Matcher.equal(Labels.METRIC_NAME, TARGET_INFO));
  }

  private static void removeName(Map<String, List<Matcher>> dataMatchers) {
    dataMatchers.remove(Labels.METRIC_NAME);
  }

  private List<SeriesPoints> fetchInfoSeries(List<SeriesPoints> mat, Set<Labels> ignore,
      Map<String, List<Matcher>> dataMatchers, long at, long offset) {
    Map<String, Set<String>> idValues = new LinkedHashMap<>();
    for (SeriesPoints s : mat) {
      if (ignore.contains(s.labels)) {
        continue;
      }
      for (String l : IDENTIFYING) {
        String v = s.labels.get(l);
        if (!v.isEmpty()) {
          idValues.computeIfAbsent(l, k -> new LinkedHashSet<>()).add(v);
        }
      }
    }
    if (idValues.isEmpty()) {
      removeName(dataMatchers);
      return new ArrayList<>();
    }
    List<Matcher> matchers = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : idValues.entrySet()) {
      StringBuilder re = new StringBuilder();
      for (String v : e.getValue()) {
        if (!re.isEmpty()) {
          re.append('|');
        }
        re.append(quoteMeta(v));
      }
      matchers.add(Matcher.of(MatchType.REGEX, e.getKey(), re.toString()));
    }
    List<Matcher> nameMatchers = new ArrayList<>();
    for (List<Matcher> ms : dataMatchers.values()) {
      for (Matcher m : ms) {
        if (m.name().equals(Labels.METRIC_NAME)) {
          nameMatchers.add(m);
        } else {
          matchers.add(m);
        }
      }
    }
    removeName(dataMatchers);
    matchers.addAll(effectiveNameMatchers(nameMatchers));

    long start = at != Long.MIN_VALUE ? at : ev.start;
    long end = at != Long.MIN_VALUE ? at : ev.end;
    start -= ev.lookback() - 1 + offset;
    end -= offset;
    SeriesSet set = ev.qc.querier.select(false,
        new SelectHints(start, end, ev.interval, "info", List.of(), false, 0), matchers);
    List<Series> series = new ArrayList<>();
    while (set.next()) {
      series.add(set.at());
    }
    return new SelectorEval(ev).evalSeries(series, offset, at, true, true);
  }

  /** Go's regexp.QuoteMeta. */
  private static String quoteMeta(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static Labels signature(String infoName, Labels l) {
    Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, infoName);
    for (String id : IDENTIFYING) {
      b.set(id, l.get(id));
    }
    return b.build();
  }

  private List<SeriesPoints> combine(List<SeriesPoints> mat, List<SeriesPoints> infoMat,
      Set<Labels> ignore, Map<String, List<Matcher>> dataMatchers) {
    Set<String> infoNames = new LinkedHashSet<>();
    for (SeriesPoints s : infoMat) {
      infoNames.add(s.labels.metricName());
    }
    List<Map<String, Labels>> baseSigs = new ArrayList<>(mat.size());
    for (SeriesPoints s : mat) {
      Map<String, Labels> sigs = new LinkedHashMap<>();
      for (String n : infoNames) {
        sigs.put(n, signature(n, s.labels));
      }
      baseSigs.add(sigs);
    }
    Labels[] infoSigs = new Labels[infoMat.size()];
    for (int i = 0; i < infoSigs.length; i++) {
      Labels l = infoMat.get(i).labels;
      infoSigs[i] = signature(l.metricName(), l);
    }
    boolean allMatchEmpty = true;
    for (List<Matcher> ms : dataMatchers.values()) {
      for (Matcher m : ms) {
        if (!m.matches("")) {
          allMatchEmpty = false;
        }
      }
    }
    final boolean matchEmpty = allMatchEmpty;
    List<List<SeriesPoints>> inputs = new ArrayList<>();
    inputs.add(mat);
    inputs.add(infoMat);
    Map<Labels, Integer> right = new HashMap<>();
    return new StepLoop(ev, inputs).run((in, out) -> {
      StepVector base = in[0];
      StepVector info = in[1];
      if (base.size == 0) {
        return;
      }
      right.clear();
      for (int i = 0; i < info.size; i++) {
        Labels sig = infoSigs[info.series[i]];
        Integer existing = right.get(sig);
        if (existing == null) {
          right.put(sig, i);
          continue;
        }
        long existingT = (long) (info.f[existing] * 1000);
        long newT = (long) (info.f[i] * 1000);
        if (existingT < newT) {
          right.put(sig, i);
        } else if (existingT == newT) {
          throw new QueryException("found duplicate series for info metric: existing "
              + info.labels[existing] + " @ " + existingT + ", new " + info.labels[i] + " @ "
              + newT);
        }
      }
      for (int i = 0; i < base.size; i++) {
        Labels bl = base.labels[i];
        if (ignore.contains(bl)) {
          out.copyFrom(base, i);
          continue;
        }
        Labels.Builder lb = Labels.builder();
        int seen = 0;
        for (Map.Entry<String, Labels> e : baseSigs.get(base.series[i]).entrySet()) {
          Integer idx = right.get(e.getValue());
          if (idx == null) {
            continue;
          }
          Labels il = info.labels[idx];
          for (int k = 0; k < il.size(); k++) {
            String n = il.name(k);
            String v = il.value(k);
            if (n.equals(Labels.METRIC_NAME)) {
              continue;
            }
            if (!dataMatchers.isEmpty() && !dataMatchers.containsKey(n)) {
              continue;
            }
            String have = lb.get(n);
            if (!have.isEmpty() && !have.equals(v)) {
              throw new QueryException("conflicting label: " + n);
            }
            if (bl.has(n)) {
              continue;
            }
            lb.set(n, v);
          }
          seen++;
        }
        if (seen == 0 && !matchEmpty) {
          continue;
        }
        Labels.Builder res = bl.toBuilder();
        lb.forEach(res::set);
        out.add(res.build(), base.f[i], base.h[i], base.dropName[i], -1);
      }
    });
  }
}
