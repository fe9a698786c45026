package dev.vigil.tsdb.block;

import dev.vigil.tsdb.chunkenc.Chunk;

/**
 * How a {@link BlockWriter} cuts and encodes float chunks.
 *
 * @param xorSamplesPerChunk samples per XOR chunk (the head's chunk size; 120 as Prometheus),
 *     used when packing is off and for float runs that pack worse than XOR
 * @param packedSamplesPerChunk samples per packed chunk ({@code PACKED_FLOAT_V2}); 0 writes XOR
 *     only. Bigger chunks compress better (fixed costs per chunk: envelope, index entry,
 *     headers); a seek decodes one 128-sample segment of a chunk whatever its size.
 */
public record ChunkPolicy(int xorSamplesPerChunk, int packedSamplesPerChunk) {
  /** Default packed chunk size: 12 h of 15 s scrapes, two chunks per series in a 24 h block. */
  public static final int DEFAULT_PACKED_SAMPLES = 2880;

  public ChunkPolicy {
    if (xorSamplesPerChunk < 1 || xorSamplesPerChunk > Chunk.MAX_SAMPLES) {
      throw new IllegalArgumentException("xor samples per chunk " + xorSamplesPerChunk
          + " outside 1.." + Chunk.MAX_SAMPLES);
    }
    if (packedSamplesPerChunk < 0 || packedSamplesPerChunk > Chunk.MAX_SAMPLES) {
      throw new IllegalArgumentException("packed samples per chunk " + packedSamplesPerChunk
          + " outside 0.." + Chunk.MAX_SAMPLES + " (0: no packing)");
    }
  }

  /** XOR chunks only, as Prometheus writes them. */
  public static ChunkPolicy xor(int samplesPerChunk) {
    return new ChunkPolicy(samplesPerChunk, 0);
  }

  public boolean packs() {
    return packedSamplesPerChunk > 0;
  }
}
