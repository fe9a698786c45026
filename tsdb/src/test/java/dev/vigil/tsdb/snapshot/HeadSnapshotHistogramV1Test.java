package dev.vigil.tsdb.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunkenc.HistogramChunk;
import dev.vigil.tsdb.chunkenc.XorHistogramChunk;
import dev.vigil.tsdb.contract.TestHistograms;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A version 1 snapshot's open histogram chunk (v1 encoding) is read as the same samples in v2. */
class HeadSnapshotHistogramV1Test {
  @Test
  void v1OpenHistogramChunksAreRecodedSampleForSample() {
    Random r = new Random(31);
    for (int run = 0; run < 100; run++) {
      HistogramChunk v1 = new HistogramChunk();
      List<Long> ts = new ArrayList<>();
      List<FloatHistogram> hs = new ArrayList<>();
      long t = r.nextLong(1L << 40);
      for (int i = 0, n = 1 + r.nextInt(120); i < n; i++) {
        t += 1 + r.nextInt(60_000);
        FloatHistogram h = TestHistograms.random(r);
        v1.append(t, h);
        ts.add(t);
        hs.add(h);
      }
      byte[] v2 = HeadSnapshotReader.recodedV1(v1.bytes(), run);
      SampleIterator it = XorHistogramChunk.wrap(v2, "recoded").iterator(null);
      for (int i = 0; i < ts.size(); i++) {
        assertThat(it.next()).isEqualTo(ValueKind.HISTOGRAM);
        assertThat(it.atT()).isEqualTo(ts.get(i));
        assertThat(it.atHistogram()).isEqualTo(hs.get(i));
      }
      assertThat(it.next()).isEqualTo(ValueKind.NONE);
    }
  }
}
