package dev.vigil.app;

import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.Analysis;
import dev.vigil.tsdb.ReadOnlyTsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.block.EncodingUsage;
import dev.vigil.tsdb.tenant.TenantDirectories;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil tsdb ...}: inspect a Vigil data directory, as {@code promtool tsdb} does. */
@Command(name = "tsdb", description = "Inspect TSDB data directories.",
    subcommands = {TsdbCommand.Analyze.class, TsdbDumpCommand.class, TsdbImportCommand.class})
final class TsdbCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where a read-only view's WAL replay stopped early, as the tools print it; null if not. */
  static String walDamage(ReadOnlyTsdb db) {
    String corruption = db.replayStats().corruption();
    return corruption == null ? null : "WAL read up to: " + corruption
        + " (not repaired; in a running server's WAL, a record being written)";
  }

  /** One database under a data directory: its tenant ({@code "-"} for a lone database). */
  record Database(String tenant, Path dir) {}

  /**
   * The databases in {@code dir}: a server's data directory (one per tenant under
   * {@code tenants/}, by tenant name) or one database; only {@code tenant}'s when it is not
   * null. Null (the problem printed to {@code err}) when there is none.
   */
  static List<Database> databases(Path dir, String tenant, PrintWriter err) {
    if (!Files.isDirectory(dir)) {
      err.println("error: " + dir + " is not a directory");
      err.flush();
      return null;
    }
    List<Database> dbs = new ArrayList<>();
    Path tenants = TenantDirectories.tenantsDir(dir);
    if (Files.isDirectory(tenants)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(tenants)) {
        for (Path p : ds) {
          if (Files.isDirectory(p)) {
            dbs.add(new Database(p.getFileName().toString(), p));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      dbs.sort((a, b) -> a.tenant().compareTo(b.tenant()));
    } else {
      dbs.add(new Database("-", dir));
    }
    if (tenant != null) {
      dbs.removeIf(d -> !d.tenant().equals(tenant));
      if (dbs.isEmpty()) {
        err.println("error: no tenant " + tenant + " under " + tenants);
        err.flush();
        return null;
      }
    }
    return dbs;
  }

  /**
   * {@code vigil tsdb analyze DIR}: per tenant what {@code promtool tsdb analyze} prints (series,
   * label index statistics, highest-cardinality metrics, label names and label pairs) plus the
   * blocks with their samples, chunks and bytes per sample, and the head. {@code DIR} is a
   * server data directory (one database per tenant under {@code tenants/}) or one database.
   * The databases are opened read only ({@link ReadOnlyTsdb}): a running server may have them
   * open, and nothing in {@code DIR} is changed; damage is reported, not repaired.
   */
  @Command(name = "analyze", description = "Analyze churn, label pair cardinality and "
      + "compression of each tenant's database (promtool tsdb analyze).")
  static final class Analyze implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Data directory (of the server, or of one database).")
    Path dir;

    @Option(names = "--tenant", description = "Only this tenant.")
    String tenant;

    @Option(names = "--limit", defaultValue = "20",
        description = "How many items to show in each list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<Database> dbs = databases(dir, tenant, err);
      if (dbs == null) {
        return 1;
      }
      int code = 0;
      for (Database d : dbs) {
        try (ReadOnlyTsdb db = ReadOnlyTsdb.open(d.dir(), TsdbOptions.defaults())) {
          print(out, d.tenant(), Analysis.of(db, limit), db);
        } catch (StorageException | UncheckedIOException e) {
          err.println("error: tenant " + d.tenant() + ": " + e.getMessage());
          code = 1;
        }
      }
      out.flush();
      err.flush();
      return code;
    }

    static void print(PrintWriter out, String tenant, Analysis a, ReadOnlyTsdb db) {
      out.println("Tenant: " + tenant);
      for (String skipped : db.skippedBlocks()) {
        out.println("Block skipped: " + skipped);
      }
      String damage = walDamage(db);
      if (damage != null) {
        out.println(damage);
      }
      long blockSamples = 0;
      long blockBytes = 0;
      long blockChunks = 0;
      for (Analysis.BlockSummary b : a.blocks()) {
        blockSamples += b.samples();
        blockBytes += b.bytes();
        blockChunks += b.chunks();
      }
      out.println("Blocks: " + a.blocks().size() + ", samples " + blockSamples + ", chunks "
          + blockChunks + ", bytes " + blockBytes + ", bytes per sample "
          + fmt(blockSamples == 0 ? 0 : (double) blockBytes / blockSamples));
      if (!a.blocks().isEmpty()) {
        out.printf(Locale.ROOT, "  %-26s %-24s %-14s %7s %10s %12s %10s %12s %9s%n", "BLOCK ULID",
            "MIN TIME", "DURATION", "LEVEL", "SERIES", "SAMPLES", "CHUNKS", "BYTES", "B/SAMPLE");
        for (Analysis.BlockSummary b : a.blocks()) {
          out.printf(Locale.ROOT, "  %-26s %-24s %-14s %7d %10d %12d %10d %12d %9s%n", b.ulid(),
              Instant.ofEpochMilli(b.minTime()), duration(b.maxTime() - b.minTime()), b.level(),
              b.series(), b.samples(), b.chunks(), b.bytes(), fmt(b.bytesPerSample()));
        }
      }
      if (!a.encodingTotals().isEmpty()) {
        out.println("Chunk encodings (chunk file bytes, envelope included):");
        for (EncodingUsage u : a.encodingTotals()) {
          out.printf(Locale.ROOT,
              "  %-20s chunks %10d, samples %12d, bytes %12d, bytes per sample %s%n",
              u.encoding(), u.chunks(), u.samples(), u.bytes(), fmt(u.bytesPerSample()));
        }
      }
      out.println("Head: series " + a.headSeries() + ", samples " + a.headSamples());
      out.println("Total Series: " + a.series());
      out.println("Total Samples: " + a.totalSamples());
      out.println("Label names: " + a.labelNames());
      out.println("Postings (unique label pairs): " + a.postings());
      out.println("Postings entries (total label pairs): " + a.postingEntries());
      // promtool's sections, in its order.
      list(out, "Label pairs most involved in churning:", a.topChurnPairs());
      list(out, "Label names most involved in churning:", a.topChurnLabels());
      list(out, "Most common label pairs:", a.topLabelPairs());
      list(out, "Label names with highest cumulative label value length:", a.topValueLength());
      list(out, "Highest cardinality labels:", a.topLabels());
      list(out, "Highest cardinality metric names:", a.topMetrics());
      out.println();
    }

    private static void list(PrintWriter out, String title, List<Analysis.Count> counts) {
      out.println();
      out.println(title);
      for (Analysis.Count c : counts) {
        out.println(c.count() + " " + c.name());
      }
    }

    private static String fmt(double d) {
      return String.format(Locale.ROOT, "%.3f", d);
    }

    private static String duration(long ms) {
      return Duration.ofMillis(ms).toString().substring(2).toLowerCase(Locale.ROOT);
    }
  }
}
