package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.Arrays;

/** The damage checks every chunk encoding's tests run on one of its chunks. */
final class ChunkDamage {
  private ChunkDamage() {}

  /** Reads every sample; returns how many there were. */
  static int drain(SampleIterator it) {
    int n = 0;
    while (it.next() != ValueKind.NONE) {
      n++;
    }
    return n;
  }

  /**
   * Every cut of the chunk's bytes (the 2-byte count kept) fails to read: the count promises
   * more samples than the stream holds, and the reader must say so, never end quietly.
   */
  static void everyTruncationFails(Chunk c) {
    byte[] full = c.bytes();
    for (int len = 2; len < full.length; len++) {
      Chunk cut = Chunk.wrap(c.encoding(), Arrays.copyOf(full, len), "cut");
      assertThatThrownBy(() -> drain(cut.iterator(null)))
          .as("length " + len).isInstanceOf(CorruptDataException.class);
    }
  }

  /** Every flipped bit of the chunk's envelope is detected when the envelope is read. */
  static void everyEnvelopeBitFlipFails(Chunk c) {
    ByteSink sink = new ByteSink();
    ChunkEnvelope.write(sink, c);
    byte[] good = sink.toByteArray();
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> ChunkEnvelope.read(new ByteSource("flip", bad)))
            .as("byte " + i + " bit " + bit).isInstanceOf(CorruptDataException.class);
      }
    }
  }
}
