package dev.vigil.tsdb.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.StringTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StringSlotsTest {
  private static ByteSource source(ByteSink sink) {
    return new ByteSource("strings", java.util.Arrays.copyOf(sink.array(), sink.length()));
  }

  /**
   * Random streams (few recurring strings among many distinct ones, more distinct strings than
   * slots, so slots are taken over) read back as written, in far fewer bytes than plain strings.
   */
  @Test
  void whatTheWriterWritesTheReaderReadsBack() {
    Random r = new Random(3);
    for (int run = 0; run < 20; run++) {
      List<String> common = new ArrayList<>();
      for (int i = 0; i < 1 + r.nextInt(300); i++) {
        common.add("label_" + r.nextInt(1000) + "_" + "x".repeat(r.nextInt(30)));
      }
      List<String> written = new ArrayList<>();
      ByteSink sink = new ByteSink();
      ByteSink plain = new ByteSink();
      StringSlots.Writer w = new StringSlots.Writer();
      for (int i = 0; i < 30_000; i++) {
        String s = r.nextInt(4) == 0 ? "pod-" + r.nextLong() + "\u00e9"
            : new String(common.get(r.nextInt(common.size()))); // equal, not the same object
        written.add(s);
        w.put(sink, s);
        plain.putUvarintString(s);
      }
      ByteSource in = source(sink);
      StringSlots.Reader rd = new StringSlots.Reader(new StringTable(12));
      for (String s : written) {
        assertThat(rd.get(in, "label")).isEqualTo(s);
      }
      assertThat(in.hasRemaining()).isFalse();
      assertThat(sink.length()).isLessThan(plain.length() * 2 / 3);
    }
  }

  @Test
  void aReferenceToAnEmptyOrMissingSlotIsCorrupt() {
    ByteSink sink = new ByteSink();
    sink.putUvarint((5L << 1) | 1);
    assertThatThrownBy(() -> new StringSlots.Reader(null).get(source(sink), "label value"))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("label value: string slot 5 read before it was written");
    ByteSink far = new ByteSink();
    far.putUvarint((long) StringSlots.SLOTS << 1);
    assertThatThrownBy(() -> new StringSlots.Reader(null).get(source(far), "metadata help"))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("metadata help: string slot 8192 not in [0, 8192)");
  }
}
