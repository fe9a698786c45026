package dev.vigil.promql.functions;

/**
 * Counter resets told by start timestamps (Prometheus's {@code isStartTimestampReset} and
 * {@code checkStartTimeOverlap}). A start timestamp (ST) of 0 is unknown.
 */
final class StartTimestamps {
  private StartTimestamps() {}

  /**
   * Whether the sample (currSt, currT) restarted the counter after (prevSt, prevT): its ST lies
   * after the previous sample, or points exactly at it while the previous sample had a known
   * start of its own (a delta series). ST = T is OTel's "unknown start" and ST > T is invalid;
   * neither counts, nor does an invalid previous ST (> its T), so it cannot fake a delta.
   */
  static boolean isReset(long prevSt, long prevT, long currSt, long currT) {
    if (currSt == 0 || currSt >= currT || currSt < prevT) {
      return false;
    }
    if (currSt > prevT) {
      return true;
    }
    if (prevSt > prevT) {
      return false;
    }
    return prevSt != 0 && prevSt != prevT;
  }

  /**
   * Whether the sample's ST overlaps the previous sample: before it, yet not the previous
   * sample's own start (a cumulative series keeps its ST; a delta starts at the previous T).
   */
  static boolean overlaps(long prevSt, long prevT, long currSt) {
    return currSt != 0 && currSt < prevT && currSt != prevSt;
  }
}
