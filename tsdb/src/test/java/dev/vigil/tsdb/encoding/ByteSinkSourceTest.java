package dev.vigil.tsdb.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSinkSourceTest {
  @Test
  void varintsMatchGoGoldenBytes() {
    ByteSink s = new ByteSink();
    s.putUvarint(0).putUvarint(127).putUvarint(128).putUvarint(300).putVarint(-1).putVarint(1)
        .putVarint(-65).putUvarint(-1L);
    assertThat(HexFormat.of().formatHex(s.toByteArray()))
        .isEqualTo("00" + "7f" + "8001" + "ac02" + "01" + "02" + "8101" + "ffffffffffffffffff01");
  }

  @Test
  void roundTripsRandomFieldsOntoNonEmptyPrefix() {
    Random r = new Random(1);
    ByteSink s = new ByteSink(16);
    s.putByte(0xAB); // existing bytes survive later appends
    long[] longs = new long[5000];
    for (int i = 0; i < longs.length; i++) {
      longs[i] = switch (i % 4) {
        case 0 -> r.nextLong();
        case 1 -> r.nextInt(1000) - 500;
        case 2 -> Long.MIN_VALUE + r.nextInt(3);
        default -> r.nextLong() >>> r.nextInt(64);
      };
      s.putVarint(longs[i]).putUvarint(longs[i]).putBE64(longs[i]).putBE32((int) longs[i])
          .putBE16((int) longs[i]);
    }
    s.putUvarintString("héllo, wörld");
    ByteSource in = new ByteSource("t", s.toByteArray());
    assertThat(in.getByte()).isEqualTo(0xAB);
    for (long v : longs) {
      assertThat(in.getVarint()).isEqualTo(v);
      assertThat(in.getUvarint()).isEqualTo(v);
      assertThat(in.getBE64()).isEqualTo(v);
      assertThat(in.getBE32()).isEqualTo((int) v);
      assertThat(in.getBE16()).isEqualTo((int) v & 0xFFFF);
    }
    assertThat(in.getUvarintString()).isEqualTo("héllo, wörld");
    assertThat(in.hasRemaining()).isFalse();
  }

  @Test
  void truncatedOrMalformedInputThrowsWithOffset() {
    assertThatThrownBy(() -> new ByteSource("f", new byte[] {1, 2, 3}).getBE32())
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("f at offset 0")
        .hasMessageContaining("need 4 bytes, have 3");
    assertThatThrownBy(() -> new ByteSource("f", new byte[] {(byte) 0x80}).getUvarint())
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("truncated uvarint");
    byte[] tooLong = new byte[11];
    java.util.Arrays.fill(tooLong, (byte) 0xFF);
    assertThatThrownBy(() -> new ByteSource("f", tooLong).getUvarint())
        .isInstanceOf(CorruptDataException.class);
    ByteSink s = new ByteSink().putUvarint(1_000_000);
    assertThatThrownBy(() -> new ByteSource("f", s.toByteArray()).getUvarintString())
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("string length 1000000");
  }

  @Test
  void crc32cMatchesKnownVector() {
    byte[] b = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(Integer.toHexString(Crc32c.of(b, 0, b.length))).isEqualTo("e3069283");
  }
}
