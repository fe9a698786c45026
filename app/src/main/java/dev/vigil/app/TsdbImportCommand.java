package dev.vigil.app;

import dev.vigil.collector.exposition.Entry;
import dev.vigil.collector.exposition.ExpositionFormat;
import dev.vigil.collector.exposition.ExpositionParseException;
import dev.vigil.collector.exposition.TextParser;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.tsdb.Backfill;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.block.BlockMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil tsdb import openmetrics FILE}: backfills a tenant's database from an OpenMetrics
 * text file, as {@code promtool tsdb create-blocks-from openmetrics} does, but into the data
 * directory in place: with the server stopped under the database's lock, or beside a running
 * server, which takes the new blocks up at its next maintenance pass
 * ({@code Tsdb.loadNewBlocks}). Every sample needs a timestamp and must be older than the
 * tenant's head.
 */
@Command(name = "import", description = "Backfill a tenant's database from an OpenMetrics file, "
    + "or with what recording rules would have recorded.",
    subcommands = {TsdbImportCommand.OpenMetrics.class, TsdbImportRulesCommand.class})
final class TsdbImportCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "openmetrics", description = "Import samples with timestamps from an "
      + "OpenMetrics text file (ending in # EOF) into blocks.")
  static final class OpenMetrics implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "OpenMetrics text file.")
    Path file;

    @CommandLine.Mixin ImportTarget target = new ImportTarget();

    @Option(names = "--piece-bytes", hidden = true, defaultValue = "67108864",
        description = "Bytes of the file read and parsed at a time (tests cut pieces anywhere).")
    int pieceBytes;

    @Override
    public Integer call() {
      return ImportTarget.run(spec, this::run);
    }

    private int run(PrintWriter out, PrintWriter err) {
      long blockMs = target.blockMillis();
      if (pieceBytes < 1) {
        throw new ImportTarget.ImportException("--piece-bytes must be positive, got " + pieceBytes);
      }
      Path dbDir = target.dbDir();
      // The first pass validates the whole file, so a bad line writes nothing.
      long[] range = {Long.MAX_VALUE, Long.MIN_VALUE, 0};
      forEachSample((labels, t, v) -> {
        range[0] = Math.min(range[0], t);
        range[1] = Math.max(range[1], t);
        range[2]++;
      });
      if (range[2] == 0) {
        out.println("no samples in " + file + "; nothing imported");
        return 0;
      }
      ImportTarget.warnIfBeyondRetention(err, range[0]);
      Backfill.Result result;
      boolean beside = Tsdb.isOpenElsewhere(dbDir);
      if (beside) {
        result = Backfill.runBeside(dbDir, TsdbOptions.defaults(), this::forEachSample, range[0],
            range[1], blockMs);
      } else {
        try (Tsdb db = Tsdb.open(dbDir, TsdbOptions.defaults())) {
          result = Backfill.run(db, this::forEachSample, range[0], range[1], blockMs);
        }
      }
      for (BlockMeta b : result.blocks()) {
        out.println("block " + b.ulid() + " [" + Instant.ofEpochMilli(b.minTime()) + ", "
            + Instant.ofEpochMilli(b.maxTime()) + "): " + b.numSeries() + " series, "
            + b.numSamples() + " samples");
      }
      out.println("imported " + result.samples() + " samples into " + result.blocks().size()
          + " blocks of tenant " + target.tenant + " in " + dbDir);
      if (beside) {
        out.println("the server running on " + target.dataDir + " takes them up at its next maintenance"
            + " pass (every minute by default)");
      }
      return 0;
    }

    /**
     * Every sample of the file, which must all carry timestamps. The file is read in pieces of
     * about {@code pieceBytes} cut at line boundaries (files may be far larger than an array),
     * each parsed with the line number and {@code # TYPE} the piece before left off at.
     */
    private void forEachSample(Backfill.Sink sink) {
      byte[] buf = new byte[pieceBytes];
      int len = 0;
      int line = 1;
      MetricType type = MetricType.UNKNOWN;
      boolean sawEof = false;
      try (InputStream in = Files.newInputStream(file)) {
        while (true) {
          if (len == buf.length) { // one line longer than the buffer
            buf = Arrays.copyOf(buf, buf.length * 2);
          }
          int want = buf.length - len;
          int got = in.readNBytes(buf, len, want);
          len += got;
          boolean last = got < want;
          if (last && len == 0) { // the pieces before ended at a line boundary
            if (!sawEof) {
              throw new ImportTarget.ImportException(file + ":" + line + ": data does not end with # EOF");
            }
            return;
          }
          int cut = last ? len : lastNewline(buf, len) + 1;
          if (cut == 0) {
            continue; // no line ends in the buffer: it grows
          }
          if (sawEof) {
            throw new ImportTarget.ImportException(file + ":" + line + ": unexpected data after # EOF");
          }
          TextParser p = TextParser.piece(ExpositionFormat.OPENMETRICS_TEXT, buf, 0, cut, line,
              type, last);
          parse(p, sink);
          if (last) {
            return;
          }
          line = p.line() + 1; // the piece ends with a whole line, all of it parsed
          type = p.type();
          sawEof = p.sawEof();
          System.arraycopy(buf, cut, buf, 0, len - cut);
          len -= cut;
        }
      } catch (IOException e) {
        throw new ImportTarget.ImportException("cannot read " + file + ": " + e);
      }
    }

    private void parse(TextParser p, Backfill.Sink sink) {
      try {
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
          if (e != Entry.SERIES) {
            continue;
          }
          if (!p.hasTimestamp()) {
            throw new ImportTarget.ImportException(file + ":" + p.line() + ": sample " + p.labels()
                + " has no timestamp; every imported sample needs one");
          }
          sink.accept(p.labels(), p.timestamp(), p.value());
        }
      } catch (ExpositionParseException e) {
        throw new ImportTarget.ImportException(file + ":" + e.getMessage());
      }
    }

    private static int lastNewline(byte[] buf, int len) {
      for (int i = len - 1; i >= 0; i--) {
        if (buf[i] == '\n') {
          return i;
        }
      }
      return -1;
    }
  }
}
