package dev.vigil.app;

import dev.vigil.model.labels.LabelStrings;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.StorageException;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.promql.functions.GoFormat;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.tsdb.ReadOnlyTsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil tsdb dump DIR}: every sample of the selected series, as {@code promtool tsdb
 * dump} prints them ({@code {labels} value timestamp-ms}, series in label order, samples in time
 * order), or as OpenMetrics text that {@code vigil tsdb import openmetrics} reads back. The
 * database is opened read only ({@link ReadOnlyTsdb}): a running server may have it open.
 */
@Command(name = "dump", description = "Print the samples of a tenant's database (promtool tsdb "
    + "dump), or write them as OpenMetrics text for `vigil tsdb import openmetrics`.")
final class TsdbDumpCommand implements Callable<Integer> {
  /** How samples are written. */
  enum Format {
    /** {@code promtool tsdb dump}'s lines. */
    PROMTOOL,
    /** OpenMetrics text: float samples only, timestamps in seconds, ending in {@code # EOF}. */
    OPENMETRICS
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "Data directory (of the server, or of one "
      + "database).")
  java.nio.file.Path dir;

  @Option(names = "--tenant", description = "The tenant to dump; needed when DIR holds several.")
  String tenant;

  @Option(names = "--min-time", paramLabel = "MS", defaultValue = "" + Long.MIN_VALUE,
      description = "Oldest timestamp to dump, in milliseconds (default: all).")
  long minTime;

  @Option(names = "--max-time", paramLabel = "MS", defaultValue = "" + Long.MAX_VALUE,
      description = "Newest timestamp to dump, in milliseconds (default: all).")
  long maxTime;

  @Option(names = "--match", paramLabel = "SELECTOR",
      description = "Series selector, e.g. 'up{job=\"node\"}'; repeat for series matching any "
          + "(default: every series).")
  List<String> match = new ArrayList<>();

  @Option(names = "--format", defaultValue = "promtool",
      description = "promtool or openmetrics (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    // Buffered: the command line's writer flushes every line, and a dump has millions.
    PrintWriter out = new PrintWriter(new BufferedWriter(spec.commandLine().getOut(), 1 << 16));
    PrintWriter err = spec.commandLine().getErr();
    try {
      return dump(out, err);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int dump(PrintWriter out, PrintWriter err) {
    List<List<Matcher>> selectors = new ArrayList<>();
    for (String m : match) {
      try {
        selectors.add(Parser.parseMetricSelector(m));
      } catch (ParseException e) {
        err.println("error: --match " + m + ": " + e.getMessage());
        return 1;
      }
    }
    if (selectors.isEmpty()) {
      selectors.add(List.of(Matcher.of(MatchType.REGEX, Labels.METRIC_NAME, ".+")));
    }
    if (minTime > maxTime) {
      err.println("error: --min-time " + minTime + " is after --max-time " + maxTime);
      return 1;
    }
    List<TsdbCommand.Database> dbs = TsdbCommand.databases(dir, tenant, err);
    if (dbs == null) {
      return 1;
    }
    if (dbs.size() > 1) {
      List<String> names = new ArrayList<>();
      for (TsdbCommand.Database d : dbs) {
        names.add(d.tenant());
      }
      err.println("error: " + dir + " holds the databases of " + dbs.size() + " tenants ("
          + String.join(", ", names) + "): choose one with --tenant");
      return 1;
    }
    TsdbCommand.Database d = dbs.getFirst();
    try (ReadOnlyTsdb db = ReadOnlyTsdb.open(d.dir(), TsdbOptions.defaults());
        Querier q = db.querier(minTime, maxTime)) {
      String damage = TsdbCommand.walDamage(db);
      if (damage != null) {
        err.println("note: " + damage);
      }
      Writer w = new Writer(out, format);
      SelectHints hints = SelectHints.range(minTime, maxTime);
      PriorityQueue<Cursor> open = new PriorityQueue<>();
      for (List<Matcher> s : selectors) {
        Cursor c = new Cursor(q.select(true, hints, s));
        if (c.advance()) {
          open.add(c);
        }
      }
      // The selectors' sorted sets merged by labels; a series several select is written once.
      Labels last = null;
      while (!open.isEmpty()) {
        Cursor c = open.poll();
        if (last == null || !last.equals(c.labels)) {
          last = c.labels;
          w.series(c.labels, c.set.at().iterator(null)); // the querier's range
        }
        if (c.advance()) {
          open.add(c);
        }
      }
      w.end(err);
      return 0;
    } catch (StorageException | UncheckedIOException e) {
      err.println("error: tenant " + d.tenant() + ": " + e.getMessage());
      return 1;
    }
  }

  /** One selector's series set, at its current series. */
  private static final class Cursor implements Comparable<Cursor> {
    final SeriesSet set;
    Labels labels;

    Cursor(SeriesSet set) {
      this.set = set;
    }

    boolean advance() {
      if (!set.next()) {
        return false;
      }
      labels = set.at().labels();
      return true;
    }

    @Override
    public int compareTo(Cursor o) {
      return labels.compareTo(o.labels);
    }
  }

  /** Writes samples in one format and counts what the format cannot hold. */
  private static final class Writer {
    private final PrintWriter out;
    private final Format format;
    private final StringBuilder line = new StringBuilder();
    private long histograms;
    private long staleMarkers;

    Writer(PrintWriter out, Format format) {
      this.out = out;
      this.format = format;
    }

    void series(Labels labels, SampleIterator it) {
      String prefix = format == Format.PROMTOOL ? labels.toString() : openMetricsSeries(labels);
      for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
        long t = it.atT();
        line.setLength(0);
        line.append(prefix).append(' ');
        if (format == Format.PROMTOOL) {
          line.append(k == ValueKind.FLOAT ? GoFormat.g(it.atF())
              : GoFormat.histogram(it.atHistogram())).append(' ').append(t);
        } else if (k != ValueKind.FLOAT) {
          histograms++;
          continue;
        } else if (StaleNaN.is(it.atF())) {
          staleMarkers++; // imported back it would be a NaN sample, not the end of a series
          continue;
        } else {
          line.append(GoFormat.g(it.atF())).append(' ')
              .append(BigDecimal.valueOf(t, 3).toPlainString()); // seconds
        }
        out.println(line);
      }
    }

    /**
     * {@code name{a="b",c="d"}} as OpenMetrics writes a series: no spaces, values escaped as the
     * exposition formats escape them ({@code \\}, {@code \"}, {@code \n}; Go's {@code %q}
     * would escape more than a parser unescapes), names that are not legacy names quoted
     * (Prometheus's UTF-8 syntax: a quoted metric name goes inside the braces).
     */
    static String openMetricsSeries(Labels labels) {
      StringBuilder sb = new StringBuilder();
      String name = labels.metricName();
      boolean nameInside = !LabelStrings.isValidLegacyMetricName(name);
      if (!nameInside) {
        sb.append(name);
      }
      boolean first = true;
      for (int i = 0; i < labels.size(); i++) {
        boolean isName = labels.name(i).equals(Labels.METRIC_NAME);
        if (isName && !nameInside) {
          continue;
        }
        sb.append(first ? "{" : ",");
        first = false;
        if (isName) {
          appendEscaped(sb, name);
          continue;
        }
        if (LabelStrings.isValidLegacyLabelName(labels.name(i))) {
          sb.append(labels.name(i));
        } else {
          appendEscaped(sb, labels.name(i));
        }
        sb.append('=');
        appendEscaped(sb, labels.value(i));
      }
      return first ? sb.toString() : sb.append('}').toString();
    }

    private static void appendEscaped(StringBuilder sb, String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '\\' -> sb.append("\\\\");
          case '"' -> sb.append("\\\"");
          case '\n' -> sb.append("\\n");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    }

    void end(PrintWriter err) {
      if (format != Format.OPENMETRICS) {
        return;
      }
      out.println("# EOF");
      if (histograms > 0) {
        err.println("note: " + histograms + " native histogram samples not written: OpenMetrics"
            + " text has no native histograms");
      }
      if (staleMarkers > 0) {
        err.println("note: " + staleMarkers + " staleness markers not written");
      }
    }
  }
}
