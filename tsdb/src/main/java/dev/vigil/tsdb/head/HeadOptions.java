package dev.vigil.tsdb.head;

/**
 * Configuration of a head.
 *
 * @param outOfOrderWindowMs how far (ms) behind the head's newest sample a sample may still be
 *     accepted out of order; 0 (the default, as in Prometheus and Mimir) rejects all
 * @param samplesPerChunk samples after which a chunk is closed and a new one started (120 as in
 *     Prometheus: about 1-2 bytes/sample with 15 s scrapes)
 */
public record HeadOptions(long outOfOrderWindowMs, int samplesPerChunk) {
  public HeadOptions {
    if (outOfOrderWindowMs < 0) {
      throw new IllegalArgumentException("negative out-of-order window " + outOfOrderWindowMs);
    }
    if (samplesPerChunk < 1 || samplesPerChunk > 0xFFFF) {
      throw new IllegalArgumentException("samplesPerChunk " + samplesPerChunk + " not in [1, 65535]");
    }
  }

  public static HeadOptions defaults() {
    return new HeadOptions(0, 120);
  }

  public HeadOptions withOutOfOrderWindowMs(long ms) {
    return new HeadOptions(ms, samplesPerChunk);
  }
}
