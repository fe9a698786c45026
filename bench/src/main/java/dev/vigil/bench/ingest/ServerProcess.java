package dev.vigil.bench.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server process observed from outside through {@code /proc/<pid>}: CPU time of all its threads
 * (user + system, so GC, JIT and WAL threads count) and resident memory.
 *
 * @param clockTicks {@code getconf CLK_TCK}, the unit of {@code utime}/{@code stime}
 */
record ServerProcess(long pid, int clockTicks) {
  ServerProcess {
    if (pid <= 0 || clockTicks <= 0) {
      throw new IllegalArgumentException("pid and clock ticks must be positive: " + pid + ", "
          + clockTicks);
    }
  }

  /** utime + stime of {@code /proc/<pid>/stat} (fields 14 and 15), in seconds. */
  double cpuSeconds() {
    String stat = read("stat");
    // The command name (field 2) is in parentheses and may hold spaces: count after the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    return (double) ticks / clockTicks;
  }

  /** {@code VmRSS} of {@code /proc/<pid>/status}, in bytes. */
  long rssBytes() {
    for (String line : read("status").split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
  }

  private String read(String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file
          + " (has the server exited?)", e);
    }
  }
}
