package dev.vigil.collector.config;

import java.util.Locale;

/**
 * Sizes such as {@code body_size_limit: 10MB}, read like Prometheus's {@code units.Base2Bytes}:
 * a non-negative integer with an optional unit, where KB/KiB, MB/MiB, ... are all powers of 1024.
 */
public final class ByteSize {
  private static final String[] UNITS = {"B", "K", "M", "G", "T", "P", "E"};

  private ByteSize() {}

  public static long parse(String s) {
    String t = s.strip();
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("units: invalid size " + PrometheusDuration.quote(s));
    }
    long n = Long.parseLong(t.substring(0, i));
    String unit = t.substring(i).toUpperCase(Locale.ROOT);
    if (unit.isEmpty() || unit.equals("B")) {
      return n;
    }
    if (unit.endsWith("IB")) {
      unit = unit.substring(0, unit.length() - 2);
    } else if (unit.endsWith("B")) {
      unit = unit.substring(0, unit.length() - 1);
    }
    for (int k = 1; k < UNITS.length; k++) {
      if (UNITS[k].equals(unit)) {
        return Math.multiplyExact(n, 1L << (10 * k));
      }
    }
    throw new IllegalArgumentException("units: unknown unit " + t.substring(i) + " in " + s);
  }
}
