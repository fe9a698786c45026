package dev.vigil.app;

import dev.vigil.collector.config.PrometheusDuration;
import dev.vigil.model.storage.StorageException;
import dev.vigil.server.maintenance.MaintenanceOptions;
import dev.vigil.tsdb.tenant.TenantDirectories;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where a {@code vigil tsdb import} command writes: the options they share, and their errors. */
final class ImportTarget {
  @Option(names = "--data-dir", defaultValue = "data",
      description = "The server's data directory (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--tenant", defaultValue = "anonymous",
      description = "Tenant whose database gets the samples (default: ${DEFAULT-VALUE}, the "
          + "tenant of a server without multi-tenancy).")
  String tenant;

  @Option(names = "--block-duration", defaultValue = "2h",
      description = "Length of the blocks written, aligned to the epoch (default: "
          + "${DEFAULT-VALUE}); compaction merges them later.")
  String blockDuration;

  /** A bad option or input: printed as {@code error: MESSAGE}, exit code 1. */
  static final class ImportException extends RuntimeException {
    ImportException(String message) {
      super(message);
    }
  }

  /** The body of an import command. */
  @FunctionalInterface
  interface Body {
    int run(PrintWriter out, PrintWriter err);
  }

  /** Runs {@code body}; what goes wrong with the input or the store becomes an error line. */
  static int run(CommandLine.Model.CommandSpec spec, Body body) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return body.run(out, err);
    } catch (ImportException | StorageException | UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Warns when data starting at {@code minT} is older than the server's default retention: the
   * import succeeds, and the server's next maintenance pass deletes what retention covers.
   */
  static void warnIfBeyondRetention(PrintWriter err, long minT) {
    long retention = MaintenanceOptions.DEFAULTS.retentionTime().toMillis();
    if (minT < System.currentTimeMillis() - retention) {
      err.println("note: data from " + Instant.ofEpochMilli(minT) + " is older than the"
          + " server's default retention (--storage.tsdb.retention.time, "
          + MaintenanceOptions.DEFAULTS.retentionTime().toDays() + "d"
          + "): a server with it deletes those blocks at its next maintenance pass");
    }
  }

  /** The tenant's database directory; an invalid tenant name is an error. */
  Path dbDir() {
    String problem = TenantDirectories.problem(tenant);
    if (problem != null) {
      throw new ImportException("--tenant: " + problem);
    }
    return TenantDirectories.tenantDir(dataDir, tenant);
  }

  long blockMillis() {
    return positiveMillis("--block-duration", blockDuration);
  }

  /** A Prometheus duration ({@code 90s}, {@code 2h}) that must be positive, in milliseconds. */
  static long positiveMillis(String flag, String value) {
    long ms;
    try {
      ms = PrometheusDuration.parse(value).toMillis();
    } catch (IllegalArgumentException e) {
      throw new ImportException(flag + ": " + e.getMessage());
    }
    if (ms <= 0) {
      throw new ImportException(flag + " must be positive, got " + value);
    }
    return ms;
  }
}
