package dev.vigil.rules.manager;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where a group's evaluations fall in time, as Prometheus's {@code Group.EvalTimestamp}: every
 * group is evaluated at {@code k * interval + offset}, with {@code offset = hash % interval} and
 * the hash of the label set {@code {file=..., name=...}}. Groups thus spread over the interval
 * instead of all firing at :00, and a restarted ruler keeps each group in its old slot.
 */
public final class EvalSlots {
  private EvalSlots() {}

  /** Prometheus's {@code Group.hash()}: XXH64 of {@code file\xff<file>\xffname\xff<name>\xff}. */
  public static long groupHash(String file, String name) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String s : new String[] {"file", file, "name", name}) {
      b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      b.write(0xff);
    }
    return XxHash64.hash(b.toByteArray());
  }

  /**
   * The latest slot at or before {@code nowNanos} (Unix ns) for a group with {@code hash} and
   * {@code intervalNanos}.
   */
  public static long evalTimestampNanos(long hash, long intervalNanos, long nowNanos) {
    long offset = Long.remainderUnsigned(hash, intervalNanos);
    // Subtracting the offset first keeps the result in the past (see Prometheus's comment).
    long adjNow = nowNanos - offset;
    return adjNow - Math.floorMod(adjNow, intervalNanos) + offset;
  }
}
