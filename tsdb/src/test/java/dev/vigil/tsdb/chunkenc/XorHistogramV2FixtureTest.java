package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A float histogram chunk written by the v2 writer (encoding {@code 0x11}, before v0.5: no
 * integer mode) is committed under {@code testdata/histogram-v2}: 200 samples of {@link
 * #sample}, whole and fractional counts, layout and schema changes, NaN sums, jittered
 * timestamps. It must stay readable bit for bit, and re-encode as v3 to the same samples.
 */
class XorHistogramV2FixtureTest {
  private static final Path FIXTURE =
      Path.of("src/test/resources/dev/vigil/tsdb/testdata/histogram-v2/chunk.hex");
  private static final int SAMPLES = 200;

  /** The fixture's i-th sample, drawn from {@code r} (seeded 2611) in order. */
  static FloatHistogram sample(Random r, int i) {
    int n = 1 + (i / 40) % 4; // the layout changes every 40 samples
    double[] b = new double[n];
    for (int k = 0; k < n; k++) {
      b[k] = i % 7 == 3 ? r.nextDouble() * 100 : 10L * i + r.nextInt(5) * k;
    }
    double count = 0;
    for (double v : b) {
      count += v;
    }
    double sum = i % 11 == 5 ? Double.NaN : 0.5 * i + r.nextInt(3);
    return new FloatHistogram(CounterResetHint.values()[i % 4], 1 + i / 100, 0.001, i % 5,
        count + i % 5, sum, List.of(new Span(-1, n)), b, List.of(), new double[0], null);
  }

  private static long time(int i) {
    return 1_000_000L + 15_000L * i + (i % 13 == 0 ? 7 : 0);
  }

  @Test
  void theV2ChunkReadsAsWrittenAndRecodesAsV3() throws IOException {
    byte[] bytes = HexFormat.of().parseHex(Files.readString(FIXTURE).replace("\n", ""));
    Chunk v2 = Chunk.wrap(Encoding.FLOAT_HISTOGRAM_V2, bytes, "fixture");
    assertThat(v2.numSamples()).isEqualTo(SAMPLES);
    XorHistogramChunk v3 = new XorHistogramChunk();
    Random r = new Random(2611);
    SampleIterator it = v2.iterator(null);
    for (int i = 0; i < SAMPLES; i++) {
      FloatHistogram want = sample(r, i);
      assertThat(it.next()).isEqualTo(ValueKind.HISTOGRAM);
      assertThat(it.atT()).isEqualTo(time(i));
      assertThat(it.atHistogram()).as("sample " + i).isEqualTo(want);
      assertThat(Double.doubleToRawLongBits(it.atHistogram().sum()))
          .isEqualTo(Double.doubleToRawLongBits(want.sum()));
      v3.append(it.atT(), it.atHistogram());
    }
    assertThat(it.next()).isEqualTo(ValueKind.NONE);
    assertThat(v3.byteLength()).as("v3 codes the whole counts shorter").isLessThan(bytes.length);
    r = new Random(2611);
    it = v3.iterator(null);
    for (int i = 0; i < SAMPLES; i++) {
      assertThat(it.next()).isEqualTo(ValueKind.HISTOGRAM);
      assertThat(it.atHistogram()).isEqualTo(sample(r, i));
    }
  }
}
