package dev.vigil.promql.engine;

import dev.vigil.model.storage.Querier;
import dev.vigil.promql.parser.VectorSelector;
import java.util.Set;

/**
 * State shared by all evaluators of one query (the outer one and those of subqueries): the
 * querier, the options, annotations, sample accounting and the deadline. One per query, never
 * shared between queries.
 */
final class QueryContext {
  static final String TOO_MANY_SAMPLES =
      "query processing would load too many samples into memory in query execution";

  final Querier querier;
  final EngineOptions options;
  final Set<VectorSelector> statsSelectors;
  final AnnotationCollector annotations = new AnnotationCollector();
  /** Query start/end/step, for {@code @ start()}, {@code @ end()}, {@code step()}, {@code range()}. */
  final long queryStart;
  final long queryEnd;
  final long queryStep;
  private final long deadlineNanos;
  int currentSamples;
  long peakSamples;
  long samplesScanned;
  private int timeoutCheck;

  QueryContext(Querier querier, EngineOptions options, long queryStart, long queryEnd,
      long queryStep) {
    this(querier, options, queryStart, queryEnd, queryStep, Set.of());
  }

  /**
   * @param statsSelectors selectors whose histograms are read as statistics only (see {@link
   *     HistogramStatsDecoding}); an identity set
   */
  QueryContext(Querier querier, EngineOptions options, long queryStart, long queryEnd,
      long queryStep, Set<VectorSelector> statsSelectors) {
    this.statsSelectors = statsSelectors;
    this.querier = querier;
    this.options = options;
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.queryStep = queryStep;
    // A monotonic timer, not wall-clock logic: only used to enforce the timeout.
    this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
  }

  void checkTimeout() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new QueryException("query timed out in expression evaluation");
    }
  }

  /** Cheap variant for inner loops: reads the clock every 1024 calls. */
  void maybeCheckTimeout() {
    if ((++timeoutCheck & 1023) == 0) {
      checkTimeout();
    }
  }

  void addSamples(int n) {
    currentSamples += n;
    if (currentSamples > options.maxSamples()) {
      throw new QueryException(TOO_MANY_SAMPLES);
    }
    if (currentSamples > peakSamples) {
      peakSamples = currentSamples;
    }
  }

  void setSamples(int n) {
    currentSamples = n;
    if (n > peakSamples) {
      peakSamples = n;
    }
  }
}
