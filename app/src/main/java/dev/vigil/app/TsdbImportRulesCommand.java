package dev.vigil.app;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Queryable;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.promql.parser.ParserOptions;
import dev.vigil.rules.backfill.RecordingRuleBackfill;
import dev.vigil.rules.eval.PromqlExprValidator;
import dev.vigil.rules.eval.RuleEvaluationException;
import dev.vigil.rules.file.LoadResult;
import dev.vigil.rules.file.RuleFile;
import dev.vigil.rules.file.RuleFileLoader;
import dev.vigil.tsdb.Backfill;
import dev.vigil.tsdb.ReadOnlyTsdb;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil tsdb import rules FILE...}: backfills what recording rules would have recorded
 * over a past range, as {@code promtool tsdb create-blocks-from rules} does, but reading the
 * tenant's own data (no query API in between) and writing into its database in place, beside a
 * running server or not, like {@code import openmetrics}. Rules run one after the other over
 * the whole range, each one's blocks taken up before the next runs: unlike promtool's, a rule
 * reading what an earlier rule of the run records sees it.
 */
@Command(name = "rules", description = "Backfill what recording rules would have recorded over "
    + "a past range (promtool tsdb create-blocks-from rules).")
final class TsdbImportRulesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rule files.")
  List<Path> files;

  @Option(names = "--start", required = true, paramLabel = "TIME",
      description = "Start of the range: RFC 3339 or Unix seconds.")
  String start;

  @Option(names = "--end", paramLabel = "TIME", description = "End of the range: RFC 3339 or "
      + "Unix seconds (default: just before the tenant's head, or now when it is empty).")
  String end;

  @Option(names = "--eval-interval", defaultValue = "60s",
      description = "Step of rules whose group sets no interval (default: ${DEFAULT-VALUE}).")
  String evalInterval;

  @CommandLine.Mixin ImportTarget target = new ImportTarget();

  @Override
  public Integer call() {
    return ImportTarget.run(spec, this::run);
  }

  private int run(PrintWriter out, PrintWriter err) {
    long startMs = time("--start", start);
    long intervalMs = ImportTarget.positiveMillis("--eval-interval", evalInterval);
    long blockMs = target.blockMillis();
    Path dbDir = target.dbDir();
    List<RuleFile> loaded = new ArrayList<>();
    RuleFileLoader loader = new RuleFileLoader(new PromqlExprValidator(ParserOptions.DEFAULT));
    for (Path f : files) {
      switch (loader.load(f)) {
        case LoadResult.Loaded l -> loaded.add(l.file());
        case LoadResult.Failed failed -> {
          failed.errors().forEach(e -> err.println("error: " + e));
          return 1;
        }
      }
    }
    List<RecordingRuleBackfill.Job> jobs =
        RecordingRuleBackfill.jobs(loaded, Duration.ofMillis(intervalMs));
    if (jobs.isEmpty()) {
      out.println("no recording rules in " + files + "; nothing imported");
      return 0;
    }
    if (!Files.isDirectory(dbDir)) {
      throw new ImportTarget.ImportException("tenant " + target.tenant + " has no database in "
          + target.dataDir + ": nothing for the rules to read");
    }
    ImportTarget.warnIfBeyondRetention(err, startMs);
    boolean beside = Tsdb.isOpenElsewhere(dbDir);
    TsdbOptions options = TsdbOptions.defaults();
    Engine engine = new Engine(EngineOptions.defaults());
    int failed = 0;
    if (beside) {
      try (ReadOnlyTsdb view = ReadOnlyTsdb.open(dbDir, options)) {
        long endMs = end(startMs, view.head().minTime());
        for (RecordingRuleBackfill.Job job : jobs) {
          failed += report(out, err, job, () -> Backfill.runBeside(view, options,
              source(engine, view, job, startMs, endMs), startMs, endMs, blockMs));
          view.loadNewBlocks();
        }
      }
      out.println("the server running on " + target.dataDir + " takes the blocks up at its next"
          + " maintenance pass (every minute by default)");
    } else {
      try (Tsdb db = Tsdb.open(dbDir, options)) {
        long endMs = end(startMs, db.head().minTime());
        for (RecordingRuleBackfill.Job job : jobs) {
          failed += report(out, err, job, () -> Backfill.run(db,
              source(engine, db, job, startMs, endMs), startMs, endMs, blockMs));
          db.loadNewBlocks();
        }
      }
    }
    return failed == 0 ? 0 : 1;
  }

  /** The rule's results, a block window at a time, evaluated when promtool evaluates them. */
  private static Backfill.WindowSource source(Engine engine, Queryable storage,
      RecordingRuleBackfill.Job job, long startMs, long endMs) {
    return (windowStart, windowEnd, sink) -> RecordingRuleBackfill.evaluateWindow(engine,
        storage, job, windowStart, windowEnd, startMs, endMs,
        new RecordingRuleBackfill.Sink() {
          @Override
          public void accept(Labels labels, long t, double v) {
            sink.accept(labels, t, v);
          }

          @Override
          public void acceptHistogram(Labels labels, long t, FloatHistogram h) {
            sink.acceptHistogram(labels, t, h);
          }
        });
  }

  /** Runs one rule's backfill and prints its line; 1 when it failed. */
  private static int report(PrintWriter out, PrintWriter err, RecordingRuleBackfill.Job job,
      Supplier<Backfill.Result> backfill) {
    String what = "rule " + job.rule().name() + " (group " + job.group() + " of " + job.file()
        + ")";
    try {
      Backfill.Result r = backfill.get();
      out.println(what + ": " + r.samples() + " samples in " + r.blocks().size() + " blocks");
      return 0;
    } catch (RuleEvaluationException e) {
      err.println("error: " + what + ": " + e.getMessage());
      return 1;
    }
  }

  /** The end of the range: --end, or just before the head (now when the head is empty). */
  private long end(long startMs, long headMin) {
    long endMs = end != null ? time("--end", end)
        : headMin == Long.MAX_VALUE ? System.currentTimeMillis() : headMin - 1;
    if (endMs < startMs) {
      throw new ImportTarget.ImportException("--start " + start + " is after the end "
          + Instant.ofEpochMilli(endMs) + (end == null ? " (just before the tenant's head)" : ""));
    }
    return endMs;
  }

  /** RFC 3339, or Unix seconds (fractions allowed), in milliseconds. */
  static long time(String flag, String s) {
    try {
      if (s.matches("-?\\d+(\\.\\d+)?")) {
        return new BigDecimal(s).movePointRight(3).longValueExact();
      }
      return OffsetDateTime.parse(s).toInstant().toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new ImportTarget.ImportException(flag + ": not an RFC 3339 time or Unix"
          + " seconds (with at most millisecond fractions): " + s);
    }
  }
}
