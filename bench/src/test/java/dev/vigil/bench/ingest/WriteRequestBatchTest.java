package dev.vigil.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.protocol.remote.v1.pb.Label;
import dev.vigil.protocol.remote.v1.pb.TimeSeries;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class WriteRequestBatchTest {
  private final KubeSeriesSet set = new KubeSeriesSet(100);

  @Test
  void patchedBodiesDecodeAsTheGeneratedMessagesWithEachScrapesSamples() throws Exception {
    WriteRequestBatch batch = new WriteRequestBatch(set, 4000, 250);
    long t0 = 1_795_000_000_000L;
    for (int scrape = 0; scrape < 3; scrape++) {
      long t = t0 + scrape * 15_000L;
      WriteRequest req = WriteRequest.parseFrom(Snappy.uncompress(batch.compressed(scrape, t)));
      assertThat(req.getTimeseriesCount()).isEqualTo(250);
      String[] values = new String[KubeSeriesSet.LABELS];
      for (int i = 0; i < 250; i++) {
        TimeSeries ts = req.getTimeseries(i);
        set.values(4000 + i, values);
        assertThat(ts.getLabelsList()).extracting(Label::getName)
            .containsExactly(KubeSeriesSet.NAMES);
        assertThat(ts.getLabelsList()).extracting(Label::getValue).containsExactly(values);
        assertThat(ts.getSamplesCount()).isEqualTo(1);
        assertThat(ts.getSamples(0).getTimestamp()).isEqualTo(t);
        assertThat(ts.getSamples(0).getValue())
            .isEqualTo(KubeSeriesSet.value(4000 + i, scrape));
      }
    }
  }

  @Test
  void labelNamesAreSortedAndSeriesDistinct() {
    String[] a = new String[KubeSeriesSet.LABELS];
    String[] b = new String[KubeSeriesSet.LABELS];
    for (int i = 1; i < KubeSeriesSet.NAMES.length; i++) {
      assertThat(KubeSeriesSet.NAMES[i - 1]).isLessThan(KubeSeriesSet.NAMES[i]);
    }
    for (int i = 0; i < 5000; i += 97) {
      set.values(i, a);
      set.values(i + 1, b);
      assertThat(a).isNotEqualTo(b);
    }
  }

  @Test
  void timestampsOutsideTheSixByteVarintRangeAreRefused() {
    WriteRequestBatch batch = new WriteRequestBatch(set, 0, 2);
    assertThatThrownBy(() -> batch.compressed(0, 1L << 42))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6-byte varint");
  }
}
