package dev.vigil.rules.backfill;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Queryable;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.QueryException;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.value.Matrix;
import dev.vigil.promql.value.RangeSeries;
import dev.vigil.rules.eval.RecordedSeries;
import dev.vigil.rules.eval.RuleEvaluationException;
import dev.vigil.rules.file.Rule;
import dev.vigil.rules.file.RuleFile;
import dev.vigil.rules.file.RuleGroup;
import dev.vigil.rules.manager.EvalSlots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recording rules evaluated over a past range, as {@code promtool tsdb create-blocks-from rules}
 * does: each recording rule as a range query stepping by its group's {@code interval} (the
 * default when the group has none), its results named and labelled as the ruler names and
 * labels them ({@link RecordedSeries}). Alerting rules are skipped, as promtool skips them.
 */
public final class RecordingRuleBackfill {
  private RecordingRuleBackfill() {}

  /** Takes the recorded samples. */
  public interface Sink {
    void accept(Labels labels, long t, double v);

    void acceptHistogram(Labels labels, long t, FloatHistogram h);
  }

  /**
   * One recording rule to backfill.
   *
   * @param file the rule file it comes from
   * @param group its group's name
   * @param intervalMs the step between evaluations
   * @param queryOffsetMs its group's {@code query_offset} (0 when it sets none): the ruler
   *     evaluates the rule that long before each slot and stamps the results there
   * @param labels the labels its results get: the group's, then the rule's
   */
  public record Job(String file, String group, Rule.RecordingRule rule, long intervalMs,
      long queryOffsetMs, Map<String, String> labels) {
    public Job {
      labels = Map.copyOf(labels);
    }
  }

  /** The recording rules of {@code files}, in file, group and rule order. */
  public static List<Job> jobs(List<RuleFile> files, Duration defaultInterval) {
    List<Job> out = new ArrayList<>();
    for (RuleFile f : files) {
      for (RuleGroup g : f.groups()) {
        long interval = (g.interval() != null ? g.interval() : defaultInterval).toMillis();
        long offset = g.queryOffset() != null ? g.queryOffset().toMillis() : 0;
        for (Rule r : g.rules()) {
          if (r instanceof Rule.RecordingRule rec) {
            out.add(new Job(f.path(), g.name(), rec, interval, offset,
                RecordedSeries.effectiveLabels(g, rec)));
          }
        }
      }
    }
    return out;
  }

  /**
   * Evaluates {@code job}'s rule over the part of the backfill range {@code [rangeStart,
   * rangeEnd]} in the block window {@code [windowStart, windowEnd)}, at the times promtool
   * evaluates it: the range cut to whole seconds, every evaluation in the group's slot
   * ({@link EvalSlots}: the ruler's {@code k * interval + hash offset}, so backfilled samples
   * line up with those the ruler records), the first at or after the window's start, the last at
   * or before its last whole second. A group's {@code query_offset} moves the evaluations that
   * far before the slots, as the ruler's (promtool 2.42 predates the field). Returns how many
   * samples it handed to {@code sink}.
   */
  public static long evaluateWindow(Engine engine, Queryable storage, Job job, long windowStart,
      long windowEnd, long rangeStart, long rangeEnd, Sink sink) {
    long startS = Math.floorDiv(rangeStart, 1000);
    long fromS = Math.max(Math.floorDiv(windowStart, 1000), startS);
    long intervalNs = job.intervalMs() * 1_000_000L;
    long offsetNs = job.queryOffsetMs() * 1_000_000L;
    long alignedNs = EvalSlots.evalTimestampNanos(EvalSlots.groupHash(job.file(), job.group()),
        intervalNs, fromS * 1_000_000_000L + offsetNs) - offsetNs;
    while (Math.floorDiv(alignedNs, 1_000_000_000L) < fromS) {
      alignedNs += intervalNs;
    }
    long toS = Math.min(Math.floorDiv(windowEnd - 1, 1000), Math.floorDiv(rangeEnd, 1000));
    // To the nearest millisecond, as promtool's times come out of the query API (the ruler
    // truncates: its samples may fall a millisecond earlier).
    long from = Math.floorDiv(alignedNs + 500_000L, 1_000_000L);
    return evaluate(engine, storage, job, from, toS * 1000, sink);
  }

  /**
   * Evaluates {@code job}'s rule at {@code from, from + interval, ... <= to} against
   * {@code storage} and hands every result to {@code sink}. Returns how many samples it handed.
   *
   * @throws RuleEvaluationException when the expression fails, or two results get the same
   *     labels once named and labelled
   */
  public static long evaluate(Engine engine, Queryable storage, Job job, long from, long to,
      Sink sink) {
    if (to < from) {
      return 0;
    }
    Matrix m;
    try {
      m = switch (engine.rangeQuery(storage, Parser.parseExpr(job.rule().expr()), from, to,
          job.intervalMs()).value()) {
        case Matrix matrix -> matrix;
        default -> throw new RuleEvaluationException("rule result is not a vector or scalar");
      };
    } catch (ParseException | QueryException e) {
      throw new RuleEvaluationException(e.getMessage(), e);
    }
    Set<Labels> seen = new HashSet<>();
    long n = 0;
    for (RangeSeries s : m.series()) {
      Labels l = RecordedSeries.labels(s.labels(), job.rule().name(), job.labels());
      if (!seen.add(l)) {
        throw new RuleEvaluationException(
            "vector contains metrics with the same labelset after applying rule labels");
      }
      for (int i = 0; i < s.floatCount(); i++) {
        sink.accept(l, s.floatTimestamps()[i], s.floatValues()[i]);
      }
      for (int i = 0; i < s.histogramCount(); i++) {
        sink.acceptHistogram(l, s.histogramTimestamps()[i], s.histograms()[i]);
      }
      n += s.floatCount() + s.histogramCount();
    }
    return n;
  }
}
