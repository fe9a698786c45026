package dev.vigil.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.exposition.pb.BucketSpan;
import dev.vigil.protocol.exposition.pb.Histogram;
import dev.vigil.protocol.exposition.pb.MetricType;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the protobuf parser: mutated valid bodies and random bytes either parse or
 * fail with {@link ExpositionParseException} naming a byte offset, never another exception.
 */
class ProtobufParserFuzzTest {
  static byte[] seed() {
    byte[] edge = ExpositionBodies.edgeProtobuf(1_700_000_000_123L);
    Histogram.Builder floats = Histogram.newBuilder().setSampleCountFloat(7.5).setSampleSum(-3.25).setSchema(0)
        .setZeroThreshold(0.5).setZeroCountFloat(1.5)
        .addPositiveSpan(BucketSpan.newBuilder().setOffset(1).setLength(2)).addAllPositiveCount(List.of(2.0, 3.0));
    byte[] more = ProtobufParserTest.delimited(ProtobufParserTest.family("f", MetricType.GAUGE_HISTOGRAM,
        ProtobufParserTest.metric("a", "b").setHistogram(floats)));
    byte[] out = Arrays.copyOf(edge, edge.length + more.length);
    System.arraycopy(more, 0, out, edge.length, more.length);
    return out;
  }

  @Test
  void seedParses() {
    assertThat(ProtobufParserTest.entries(seed(), true)).hasSizeGreaterThan(30);
  }

  @Test
  void mutationsOnlyEverRaiseParseErrors() {
    byte[] seed = seed();
    SplittableRandom rnd = new SplittableRandom(20261125);
    for (int iter = 0; iter < 20_000; iter++) {
      byte[] in = seed.clone();
      int len = in.length;
      int edits = 1 + rnd.nextInt(4);
      for (int e = 0; e < edits && len > 0; e++) {
        int at = rnd.nextInt(len);
        switch (rnd.nextInt(3)) {
          case 0 -> in[at] = (byte) rnd.nextInt(256);
          case 1 -> in[at] ^= (byte) (1 << rnd.nextInt(8));
          default -> len = at;
        }
      }
      runToEnd(Arrays.copyOf(in, len), rnd.nextBoolean(), rnd.nextBoolean());
    }
    for (int iter = 0; iter < 5_000; iter++) {
      byte[] in = new byte[rnd.nextInt(64)];
      for (int i = 0; i < in.length; i++) {
        in[i] = (byte) rnd.nextInt(256);
      }
      runToEnd(in, rnd.nextBoolean(), true);
    }
  }

  private static void runToEnd(byte[] in, boolean ignoreNative, boolean classicToo) {
    ProtobufParser p = ProtobufParser.create(in, ignoreNative, classicToo);
    try {
      for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
        if (e == Entry.SERIES) {
          p.labels();
          p.value();
        } else if (e == Entry.HISTOGRAM) {
          p.labels();
          p.histogram();
        } else {
          p.metricFamily();
          p.help();
        }
      }
    } catch (ExpositionParseException expected) {
      assertThat(expected.getMessage()).startsWith("byte ");
    } catch (RuntimeException e) {
      throw new AssertionError("unexpected " + e + " on input of " + in.length + " bytes: " + Arrays.toString(in), e);
    }
  }
}
