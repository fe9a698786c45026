package dev.vigil.tsdb.head;

/**
 * Configuration of a head. The out-of-order window and the exemplar capacity are where the head
 * starts; {@code Tsdb.updateLimits} changes them on an open head.
 *
 * @param outOfOrderWindowMs how far (ms) behind the head's newest sample a sample may still be
 *     accepted out of order; 0 (the default, as in Prometheus and Mimir) rejects all
 * @param samplesPerChunk samples after which a chunk is closed and a new one started (120 as in
 *     Prometheus: about 1-2 bytes/sample with 15 s scrapes)
 * @param maxExemplars size of the exemplar ring shared by all series (Prometheus's
 *     {@code storage.exemplars.max_exemplars}; {@link #DEFAULT_MAX_EXEMPLARS} by default); 0
 *     stores no exemplars
 * @param startTimestampZeroSamples whether a sample's start timestamp is stored as a zero sample
 *     at that time (Prometheus's {@code created-timestamp-zero-ingestion}); off by default, as
 *     in Prometheus and Mimir. See {@link Head#startTimestampZeroSamples()}
 */
public record HeadOptions(long outOfOrderWindowMs, int samplesPerChunk, int maxExemplars,
    boolean startTimestampZeroSamples) {
  /** Exemplars kept per database (per tenant in the server) unless configured otherwise. */
  public static final int DEFAULT_MAX_EXEMPLARS = 100_000;

  public HeadOptions {
    if (outOfOrderWindowMs < 0) {
      throw new IllegalArgumentException("negative out-of-order window " + outOfOrderWindowMs);
    }
    if (samplesPerChunk < 1 || samplesPerChunk > 0xFFFF) {
      throw new IllegalArgumentException("samplesPerChunk " + samplesPerChunk + " not in [1, 65535]");
    }
    if (maxExemplars < 0) {
      throw new IllegalArgumentException("maxExemplars " + maxExemplars + " must be >= 0");
    }
  }

  /** Without zero samples for start timestamps. */
  public HeadOptions(long outOfOrderWindowMs, int samplesPerChunk, int maxExemplars) {
    this(outOfOrderWindowMs, samplesPerChunk, maxExemplars, false);
  }

  /** With the default exemplar capacity. */
  public HeadOptions(long outOfOrderWindowMs, int samplesPerChunk) {
    this(outOfOrderWindowMs, samplesPerChunk, DEFAULT_MAX_EXEMPLARS);
  }

  public static HeadOptions defaults() {
    return new HeadOptions(0, 120);
  }

  public HeadOptions withOutOfOrderWindowMs(long ms) {
    return new HeadOptions(ms, samplesPerChunk, maxExemplars, startTimestampZeroSamples);
  }

  public HeadOptions withMaxExemplars(int n) {
    return new HeadOptions(outOfOrderWindowMs, samplesPerChunk, n, startTimestampZeroSamples);
  }

  public HeadOptions withStartTimestampZeroSamples(boolean on) {
    return new HeadOptions(outOfOrderWindowMs, samplesPerChunk, maxExemplars, on);
  }
}
