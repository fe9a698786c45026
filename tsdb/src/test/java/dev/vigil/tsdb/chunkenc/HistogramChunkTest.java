package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.contract.TestHistograms;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramChunkTest {
  @Test
  void roundTripsThroughIteratorAndEnvelope() {
    Random r = new Random(3);
    for (int iter = 0; iter < 200; iter++) {
      int n = 1 + r.nextInt(130);
      HistogramChunk c = new HistogramChunk();
      long[] ts = new long[n];
      FloatHistogram[] hs = new FloatHistogram[n];
      long t = r.nextLong(1L << 42) - (1L << 41);
      for (int i = 0; i < n; i++) {
        t += 1 + r.nextInt(60_000);
        ts[i] = t;
        hs[i] = TestHistograms.random(r);
        c.append(t, hs[i]);
      }
      check(c.iterator(null), ts, hs);
      ByteSink sink = new ByteSink();
      ChunkEnvelope.write(sink, c);
      Chunk back = ChunkEnvelope.read(new ByteSource("env", sink.toByteArray()));
      assertThat(back.encoding()).isEqualTo(Encoding.FLOAT_HISTOGRAM_V1);
      check(back.iterator(null), ts, hs);
    }
  }

  private static void check(SampleIterator it, long[] ts, FloatHistogram[] hs) {
    for (int i = 0; i < ts.length; i++) {
      assertThat(it.next()).isEqualTo(ValueKind.HISTOGRAM);
      assertThat(it.atT()).isEqualTo(ts[i]);
      assertThat(it.atHistogram()).isEqualTo(hs[i]);
    }
    assertThat(it.next()).isEqualTo(ValueKind.NONE);
  }

  @Test
  void truncationAndFlipsAreDetected() {
    Random r = new Random(5);
    HistogramChunk c = new HistogramChunk();
    for (int i = 0; i < 5; i++) {
      c.append(i * 1000L, TestHistograms.random(r));
    }
    ChunkDamage.everyTruncationFails(c);
    ChunkDamage.everyEnvelopeBitFlipFails(c);
  }
}
