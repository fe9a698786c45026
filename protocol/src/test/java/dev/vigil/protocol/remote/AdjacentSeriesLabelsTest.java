package dev.vigil.protocol.remote;

import static dev.vigil.protocol.remote.RemoteWriteFixtures.sample;
import static dev.vigil.protocol.remote.RemoteWriteFixtures.seriesV1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The 1.0 decoder reuses the strings of the previous series' label at the same position when
 * the bytes match: every series must still get exactly its own labels, whatever the neighbours.
 */
class AdjacentSeriesLabelsTest {
  /** Records what was appended, in order. */
  private static final class Recorder implements Appender {
    final List<String> appended = new ArrayList<>();

    @Override
    public long append(long ref, Labels labels, long t, double v) throws StorageException {
      appended.add(labels + " " + t);
      return 1;
    }

    @Override
    public long appendHistogram(long ref, Labels labels, long t,
        dev.vigil.model.histogram.FloatHistogram h) {
      throw new AssertionError("no histograms here");
    }

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }

  @Test
  void neighboursSharingSomeLabelsKeepTheirOwnLabels() throws Exception {
    WriteRequest req = WriteRequest.newBuilder()
        .addTimeseries(seriesV1("__name__", "a", "job", "x", "pod", "p1").addSamples(sample(1, 1)))
        .addTimeseries(seriesV1("__name__", "b", "job", "x", "pod", "p1").addSamples(sample(2, 1)))
        .addTimeseries(seriesV1("__name__", "b", "job", "x", "pod", "p2").addSamples(sample(3, 1)))
        .addTimeseries(seriesV1("__name__", "c", "job", "x").addSamples(sample(4, 1)))
        .addTimeseries(seriesV1("__name__", "c", "job", "x", "pod", "p2", "zone", "z")
            .addSamples(sample(5, 1)))
        .addTimeseries(seriesV1("__name__", "c", "pod", "x").addSamples(sample(6, 1)))
        .build();
    Recorder rec = new Recorder();
    byte[] body = req.toByteArray();
    new RemoteWriteDecoder(ValidationLimits.MIMIR_DEFAULTS).decode(RemoteWriteVersion.V1, body,
        0, body.length, rec, new PushStats());
    assertThat(rec.appended).containsExactly(
        "{__name__=\"a\", job=\"x\", pod=\"p1\"} 1",
        "{__name__=\"b\", job=\"x\", pod=\"p1\"} 2",
        "{__name__=\"b\", job=\"x\", pod=\"p2\"} 3",
        "{__name__=\"c\", job=\"x\"} 4",
        "{__name__=\"c\", job=\"x\", pod=\"p2\", zone=\"z\"} 5",
        "{__name__=\"c\", pod=\"x\"} 6");
  }

  @Test
  void randomNeighboursDecodeAsTheGeneratedMessagesSay() throws Exception {
    Random random = new Random(42);
    String[] names = {"__name__", "a", "b", "c", "d"};
    RemoteWriteDecoder decoder = new RemoteWriteDecoder(ValidationLimits.MIMIR_DEFAULTS);
    for (int round = 0; round < 200; round++) {
      WriteRequest.Builder req = WriteRequest.newBuilder();
      List<String> expected = new ArrayList<>();
      for (int s = 0; s < 20; s++) {
        List<String> nv = new ArrayList<>(List.of("__name__", "m" + random.nextInt(2)));
        for (int l = 1; l < names.length; l++) {
          if (random.nextBoolean()) {
            nv.add(names[l]);
            nv.add("v" + random.nextInt(3));
          }
        }
        String[] arr = nv.toArray(String[]::new);
        req.addTimeseries(seriesV1(arr).addSamples(sample(s, 1)));
        expected.add(Labels.of(arr) + " " + s);
      }
      Recorder rec = new Recorder();
      byte[] body = req.build().toByteArray();
      decoder.decode(RemoteWriteVersion.V1, body, 0, body.length, rec, new PushStats());
      assertThat(rec.appended).as("round %d", round).isEqualTo(expected);
    }
  }
}
