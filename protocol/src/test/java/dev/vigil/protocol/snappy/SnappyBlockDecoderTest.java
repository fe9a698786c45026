package dev.vigil.protocol.snappy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class SnappyBlockDecoderTest {
  private final SnappyBlockDecoder decoder = new SnappyBlockDecoder(1 << 20);

  @Test
  void roundTripReusesTheBuffer() throws Exception {
    byte[] plain = "remote write ".repeat(1000).getBytes();
    byte[] packed = Snappy.compress(plain);
    decoder.decode(packed, 0, packed.length);
    assertThat(Arrays.copyOf(decoder.buffer(), decoder.length())).isEqualTo(plain);
    byte[] first = decoder.buffer();
    decoder.decode(packed, 0, packed.length);
    assertThat(decoder.buffer()).isSameAs(first);
  }

  @Test
  void emptyTruncatedOversizedAndCorruptBlocksFailCleanly() throws Exception {
    byte[] packed = Snappy.compress("hello hello hello hello".getBytes());
    assertThatThrownBy(() -> decoder.decode(new byte[0], 0, 0))
        .isInstanceOf(SnappyFormatException.class).hasMessageStartingWith("empty body");
    assertThatThrownBy(() -> decoder.decode(new byte[] {(byte) 0x80}, 0, 1))
        .isInstanceOf(SnappyFormatException.class).hasMessageContaining("preamble is incomplete");
    byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f};
    assertThatThrownBy(() -> decoder.decode(huge, 0, huge.length))
        .isInstanceOf(SnappyFormatException.class)
        .hasMessage("snappy block decodes to 268435455 bytes, more than the limit of 1048576 bytes");
    for (int len = 1; len < packed.length; len++) {
      int n = len;
      assertThatThrownBy(() -> decoder.decode(packed, 0, n))
          .isInstanceOf(SnappyFormatException.class);
    }
    byte[] plainProto = {0x0a, 0x02, 0x08, 0x01}; // an uncompressed protobuf body
    assertThatThrownBy(() -> decoder.decode(plainProto, 0, plainProto.length))
        .isInstanceOf(SnappyFormatException.class);
  }

  @Test
  void randomBytesNeverEscapeAsAnotherException() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[1 + random.nextInt(100)];
      random.nextBytes(junk);
      try {
        decoder.decode(junk, 0, junk.length);
      } catch (SnappyFormatException expected) {
        // the one acceptable failure
      }
    }
  }
}
