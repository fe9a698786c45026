package dev.vigil.tsdb.block;

import dev.vigil.tsdb.chunkenc.Encoding;

/**
 * The chunks of one encoding in a block: how many, their samples, and their bytes in the chunk
 * files (envelope included: length, encoding byte, data, CRC).
 */
public record EncodingUsage(Encoding encoding, long chunks, long samples, long bytes) {
  public double bytesPerSample() {
    return samples == 0 ? 0 : (double) bytes / samples;
  }
}
