package dev.vigil.bench.tsdb;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the memory reports measure of this process: settled heap, resident mapped files. */
final class ProcessMemory {
  private ProcessMemory() {}

  /** Heap in use after garbage collections stop freeing more (at most five). */
  static long settledHeap() {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      long used = mx.getHeapMemoryUsage().getUsed();
      if (used >= best) {
        break;
      }
      best = used;
    }
    return best;
  }

  /** Resident bytes of the memory mappings whose path contains {@code part} (Linux only). */
  static long residentBytesOf(String part) {
    long kb = 0;
    boolean inside = false;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
        if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) { // a mapping's first line
          inside = line.contains(part);
        } else if (inside && line.startsWith("Rss:")) {
          kb += Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return kb * 1024;
  }
}
