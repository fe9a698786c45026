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

/**
 * Older snapshots' open histogram chunks (version 1: the v1 encoding; version 2: v2) are read
 * as the same samples in v3, the encoding the head keeps.
 */
class HeadSnapshotOlderHistogramTest {
  @Test
  void v2OpenHistogramChunksAreRecodedSampleForSample() throws java.io.IOException {
    byte[] v2 = java.util.HexFormat.of().parseHex(java.nio.file.Files.readString(
        java.nio.file.Path.of("src/test/resources/dev/vigil/tsdb/testdata/histogram-v2/chunk.hex"))
        .replace("\n", ""));
    SampleIterator want = XorHistogramChunk.wrapV2(v2, "v2").iterator(null);
    SampleIterator got = XorHistogramChunk.wrap(
        HeadSnapshotReader.recoded(XorHistogramChunk.wrapV2(v2, "v2")), "recoded").iterator(null);
    int n = 0;
    for (ValueKind k = want.next(); k != ValueKind.NONE; k = want.next(), n++) {
      assertThat(got.next()).isEqualTo(ValueKind.HISTOGRAM);
      assertThat(got.atT()).isEqualTo(want.atT());
      assertThat(got.atHistogram()).isEqualTo(want.atHistogram());
    }
    assertThat(got.next()).isEqualTo(ValueKind.NONE);
    assertThat(n).isEqualTo(200);
  }

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
      byte[] v3 = HeadSnapshotReader.recoded(HistogramChunk.wrap(v1.bytes(), "v1"));
      SampleIterator it = XorHistogramChunk.wrap(v3, "recoded").iterator(null);
      for (int i = 0; i < ts.size(); i++) {
        assertThat(it.next()).isEqualTo(ValueKind.HISTOGRAM);
        assertThat(it.atT()).isEqualTo(ts.get(i));
        assertThat(it.atHistogram()).isEqualTo(hs.get(i));
      }
      assertThat(it.next()).isEqualTo(ValueKind.NONE);
    }
  }
}
