package dev.vigil.tsdb.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.model.storage.StaleNaN;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Float-samples v2 records (type 17): round trips, golden bytes, chain rules, damage. */
class ChainedFloatsRecordTest {
  private static final double[] SPECIAL = {0.0, -0.0, Double.NaN,
      Double.longBitsToDouble(0x7ff8000000000001L), Double.longBitsToDouble(0xfff4000000000abcL),
      StaleNaN.VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
      -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 0x1p53,
      0x1p53 + 2, -0x1p63, 0x1p63, 1e300, 0.1, 0.3, 1.0 / 3, 9007199254740993.0, 123.456,
      -7.25, 1e-7, 4.9e-300};

  private record Sample(long ref, long t, long bits) {
    @Override
    public String toString() {
      return ref + "@" + t + "=" + Long.toHexString(bits);
    }
  }

  private static final class Collect implements RecordDecoder.Visitor {
    final List<Sample> out = new ArrayList<>();

    @Override
    public void floatSample(long ref, long t, double v) {
      out.add(new Sample(ref, t, Double.doubleToRawLongBits(v)));
    }
  }

  /** One value of series {@code ref}'s shape: counters, decimals, walks, noise, specials. */
  private static double next(SplittableRandom r, long ref, double prev, boolean first) {
    int shape = (int) (ref % 9);
    if (r.nextInt(50) == 0) {
      return SPECIAL[r.nextInt(SPECIAL.length)];
    }
    if (first || Double.isNaN(prev) || Double.isInfinite(prev)) {
      prev = shape == 7 ? 0.5 : r.nextInt(1000);
    }
    return switch (shape) {
      case 0 -> prev + r.nextInt(5); // counter
      case 1 -> prev; // constant
      case 2 -> Math.round((prev + r.nextGaussian()) * 100) / 100.0; // 2 decimals
      case 3 -> (Math.round(prev / 4096) + r.nextInt(-20, 21)) * 4096.0; // page walk
      case 4 -> r.nextGaussian() * 1e6; // noise
      case 5 -> Double.longBitsToDouble(r.nextLong()); // any bits at all
      case 6 -> prev + r.nextLong(-(1L << 40), 1L << 40); // big integer steps
      case 7 -> prev * (1 + r.nextGaussian() * 1e-3); // smooth floats
      default -> Math.round(prev * 1000 + r.nextInt(-3, 4)) / 1000.0; // 3 decimals
    };
  }

  @Test
  void fuzzedRecordsRoundTripBitExactThroughOneDecoder() {
    SplittableRandom r = new SplittableRandom(42);
    RecordEncoder enc = new RecordEncoder();
    RecordDecoder dec = new RecordDecoder();
    double[] last = new double[5000];
    boolean[] seen = new boolean[5000];
    ByteSink s = new ByteSink();
    long samples = 0;
    for (int rec = 0; rec < 3000; rec++) {
      if (r.nextInt(200) == 0) {
        enc.restartChain(); // a new segment, a failed write: the reader need not know
      }
      int n = 1 + (r.nextInt(10) == 0 ? r.nextInt(3000) : r.nextInt(40));
      int order = r.nextInt(4);
      long t0 = r.nextInt(3) == 0 ? r.nextLong() : 1_700_000_000_000L + rec * 15_000L;
      long ref = 1 + r.nextInt(4000);
      List<Sample> want = new ArrayList<>(n);
      enc.floatsV2Start();
      for (int i = 0; i < n; i++) {
        ref = switch (order) {
          case 0 -> ref + 1; // scrape order
          case 1 -> 1 + r.nextInt(4999); // any order, repeats
          case 2 -> ref + r.nextInt(3); // sorted with gaps and repeats
          default -> r.nextInt(20) == 0 ? r.nextLong() : 1 + r.nextInt(300); // refs out of range too
        };
        long t = switch (r.nextInt(4)) {
          case 0, 1 -> t0;
          case 2 -> t0 + r.nextInt(-5, 6);
          default -> r.nextLong();
        };
        int slot = (int) Math.floorMod(ref, 5000L);
        double v = next(r, ref, last[slot], !seen[slot]);
        last[slot] = v;
        seen[slot] = true;
        enc.floatV2(ref, t, v);
        want.add(new Sample(ref, t, Double.doubleToRawLongBits(v)));
      }
      s.reset();
      enc.floatsV2End(s);
      samples += n;
      Collect c = new Collect();
      dec.decode(new ByteSource("rec " + rec, s.array(), 0, s.length()), c);
      assertThat(c.out).as("record %d", rec).isEqualTo(want);
    }
    assertThat(samples).isGreaterThan(100_000);
  }

  /** A visitor lending its arrays (replay's read-ahead) gets each record decoded into them. */
  private static class Lend extends RecordDecoder.FloatColumns
      implements RecordDecoder.Visitor {
    final List<Sample> out = new ArrayList<>();
    int lentRecords;

    @Override
    public RecordDecoder.FloatColumns floatColumns(int n) {
      return ensure(n);
    }

    @Override
    public void floatSamples(long[] r, long[] t, double[] v, int n) {
      if (r == refs && t == ts && v == vs) {
        lentRecords++;
      }
      for (int i = 0; i < n; i++) {
        out.add(new Sample(r[i], t[i], Double.doubleToRawLongBits(v[i])));
      }
    }
  }

  @Test
  void recordsDecodeIntoArraysTheVisitorLendsWithTheSameSamples() {
    SplittableRandom r = new SplittableRandom(5);
    RecordEncoder enc = new RecordEncoder();
    RecordDecoder own = new RecordDecoder();
    RecordDecoder lending = new RecordDecoder();
    Lend lend = new Lend();
    ByteSink s = new ByteSink();
    double[] last = new double[5000];
    boolean[] seen = new boolean[5000];
    int records = 400;
    for (int rec = 0; rec < records; rec++) {
      int n = 1 + r.nextInt(rec % 50 == 0 ? 3000 : 60); // arrays grow, and are reused smaller
      enc.floatsV2Start();
      long ref = 1 + r.nextInt(1000);
      for (int i = 0; i < n; i++) {
        ref = r.nextInt(5) == 0 ? 1 + r.nextInt(4999) : ref + 1;
        int slot = (int) (ref % 5000);
        double v = next(r, ref, last[slot], !seen[slot]);
        last[slot] = v;
        seen[slot] = true;
        enc.floatV2(ref, 1_700_000_000_000L + rec * 15_000L + r.nextInt(3), v);
      }
      s.reset();
      enc.floatsV2End(s);
      Collect c = new Collect();
      own.decode(new ByteSource("rec " + rec, s.array(), 0, s.length()), c);
      lend.out.clear();
      lending.decode(new ByteSource("rec " + rec, s.array(), 0, s.length()), lend);
      assertThat(lend.out).as("record %d", rec).isEqualTo(c.out);
    }
    assertThat(lend.lentRecords).isEqualTo(records);
  }

  /** Lends columns that take a record's one shared timestamp without writing ts. */
  private static final class LendSharing extends RecordDecoder.FloatColumns
      implements RecordDecoder.Visitor {
    final List<Sample> out = new ArrayList<>();
    int shared;

    @Override
    public RecordDecoder.FloatColumns floatColumns(int n) {
      if (refs.length < n) {
        refs = new long[n];
      }
      valuesFor(n);
      return this;
    }

    @Override
    public boolean takesSharedTimestamps() {
      return true;
    }

    @Override
    public void floatSamples(long[] r, long[] t, double[] v, int n) {
      if (tsShared) {
        shared++;
      }
      for (int i = 0; i < n; i++) {
        out.add(new Sample(r[i], tsShared ? sharedT : t[i], Double.doubleToRawLongBits(v[i])));
      }
    }
  }

  /**
   * A record whose samples all carry one timestamp (however its column's runs fall: one
   * sample, two, a first timestamp of 0, extremes) decodes without a timestamp array; one that
   * differs anywhere (first, second, last sample) decodes into the array; both give the
   * samples the plain decoder gives.
   */
  @Test
  void aTimestampSharedByAllOfARecordsSamplesIsKeptOnceForColumnsThatTakeIt() {
    SplittableRandom r = new SplittableRandom(11);
    RecordEncoder enc = new RecordEncoder();
    RecordDecoder plain = new RecordDecoder();
    RecordDecoder sharing = new RecordDecoder();
    LendSharing lend = new LendSharing();
    ByteSink s = new ByteSink();
    long[] firsts = {0, 1, -1, 15_000, 1_700_000_000_000L, Long.MIN_VALUE, Long.MAX_VALUE};
    int records = 0;
    int sharedRecords = 0;
    for (int rec = 0; rec < 2000; rec++) {
      int n = switch (rec % 4) {
        case 0 -> 1 + rec % 3;
        case 1 -> 3 + r.nextInt(5);
        default -> 1 + r.nextInt(500);
      };
      long t0 = r.nextInt(3) == 0 ? firsts[r.nextInt(firsts.length)] : r.nextLong();
      // -1: all share t0; else this sample's timestamp differs
      int odd = r.nextBoolean() ? -1 : switch (r.nextInt(4)) {
        case 0 -> 0;
        case 1 -> Math.min(1, n - 1);
        case 2 -> n - 1;
        default -> r.nextInt(n);
      };
      enc.floatsV2Start();
      long ref = 1 + r.nextInt(100);
      for (int i = 0; i < n; i++) {
        ref = r.nextInt(4) == 0 ? 1 + r.nextInt(4999) : ref + 1;
        enc.floatV2(ref, i == odd ? t0 + 1 + r.nextInt(1000) : t0, r.nextInt(1000));
      }
      s.reset();
      enc.floatsV2End(s);
      Collect want = new Collect();
      plain.decode(new ByteSource("rec " + rec, s.array(), 0, s.length()), want);
      lend.out.clear();
      int before = lend.shared;
      sharing.decode(new ByteSource("rec " + rec, s.array(), 0, s.length()), lend);
      boolean allShare = want.out.stream().allMatch(x -> x.t() == want.out.get(0).t());
      assertThat(lend.shared - before).as("record %d shares its timestamp", rec)
          .isEqualTo(allShare ? 1 : 0);
      assertThat(lend.out).as("record %d", rec).isEqualTo(want.out);
      records++;
      sharedRecords += allShare ? 1 : 0;
    }
    assertThat(sharedRecords).isBetween(records / 4, records * 3 / 4);
  }

  @Test
  void aRecordWhoseSamplesAllShareATimestampNeedsNoTimestampArray() {
    RecordEncoder enc = new RecordEncoder();
    ByteSink s = new ByteSink();
    enc.floatsV2Start();
    for (int i = 0; i < 1000; i++) {
      enc.floatV2(1 + i, 60_000, i);
    }
    enc.floatsV2End(s);
    LendSharing lend = new LendSharing();
    new RecordDecoder().decode(new ByteSource("shared", s.array(), 0, s.length()), lend);
    assertThat(lend.shared).isEqualTo(1);
    assertThat(lend.ts).isEmpty();
    assertThat(lend.sharedT).isEqualTo(60_000);
  }

  /**
   * A timestamp column that starts like a shared one but whose run overruns the record is
   * reported as the plain decoder reports it.
   */
  @Test
  void aDamagedSharedTimestampColumnIsReportedAsThePlainDecoderReportsIt() {
    ByteSink body = new ByteSink();
    body.putByte(RecordType.FLOAT_SAMPLES_V2);
    body.putUvarint(4); // samples
    ChainedFloatsEncoder.putDeltaColumn(body, new long[] {1, 2, 3, 4}, 4);
    body.putVarint(1000).putVarint(0).putVarint(0).putUvarint(7); // a run of 7 more: 3 left
    byte[] bytes = Arrays.copyOf(body.array(), body.length() + 8);
    Lend plainLend = new Lend();
    LendSharing sharingLend = new LendSharing();
    Throwable plain = catchThrowable(() -> new RecordDecoder().decode(
        new ByteSource("damaged", bytes, 0, bytes.length), plainLend));
    Throwable sharing = catchThrowable(() -> new RecordDecoder().decode(
        new ByteSource("damaged", bytes, 0, bytes.length), sharingLend));
    assertThat(plain).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("timestamps run of 7 more exceeds the 1 samples left");
    assertThat(sharing).isInstanceOf(CorruptDataException.class)
        .hasMessage(plain.getMessage());
  }

  @Test
  void lentArraysShorterThanTheRecordAreRefused() {
    RecordEncoder enc = new RecordEncoder();
    ByteSink s = new ByteSink();
    enc.floatsV2Start();
    for (int i = 0; i < 5; i++) {
      enc.floatV2(1 + i, 1000, i);
    }
    enc.floatsV2End(s);
    Lend tooShort = new Lend() {
      @Override
      public RecordDecoder.FloatColumns floatColumns(int n) {
        refs = new long[n];
        ts = new long[n - 1];
        vs = new double[n];
        return this;
      }
    };
    assertThatThrownBy(() -> new RecordDecoder().decode(
        new ByteSource("short", s.array(), 0, s.length()), tooShort))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("columns lent for 5 samples hold 4");
  }

  /**
   * A caller keeping the chain (as the head does, in its series) writes the bytes the encoder's
   * own chain writes, for any order, repeats within a record, unchainable refs and restarts.
   */
  @Test
  void callerChainedRecordsAreByteIdenticalToOwnChainRecords() {
    SplittableRandom r = new SplittableRandom(7);
    RecordEncoder own = new RecordEncoder();
    RecordEncoder caller = new RecordEncoder();
    RecordDecoder dec = new RecordDecoder();
    java.util.Map<Long, long[]> chain = new java.util.HashMap<>(); // ref -> {generation, bits}
    long generation = 1;
    double[] last = new double[5000];
    boolean[] seen = new boolean[5000];
    ByteSink a = new ByteSink();
    ByteSink b = new ByteSink();
    for (int rec = 0; rec < 2000; rec++) {
      if (r.nextInt(100) == 0) {
        own.restartChain();
        generation++;
      }
      int n = 1 + r.nextInt(r.nextInt(10) == 0 ? 2000 : 40);
      own.floatsV2Start();
      caller.floatsV2StartCallerChained();
      List<Sample> want = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long ref = switch (r.nextInt(5)) {
          case 0 -> r.nextLong(); // mostly beyond the chainable range
          case 1 -> 1 + r.nextInt(30); // repeats within the record
          default -> 1 + r.nextInt(4999);
        };
        long t = 1_700_000_000_000L + rec * 15_000L + r.nextInt(3);
        int slot = (int) Math.floorMod(ref, 5000L);
        double v = next(r, ref, last[slot], !seen[slot]);
        last[slot] = v;
        seen[slot] = true;
        long[] state = chain.computeIfAbsent(ref, k -> new long[2]);
        long previous = state[0] == generation ? state[1] : RecordEncoder.NO_PREVIOUS;
        own.floatV2(ref, t, v);
        caller.floatV2(ref, t, v, previous);
        state[0] = generation;
        state[1] = Double.doubleToRawLongBits(v);
        want.add(new Sample(ref, t, Double.doubleToRawLongBits(v)));
      }
      a.reset();
      b.reset();
      own.floatsV2End(a);
      caller.floatsV2End(b);
      assertThat(b.toByteArray()).as("record %d", rec).isEqualTo(a.toByteArray());
      Collect c = new Collect();
      dec.decode(new ByteSource("rec " + rec, b.array(), 0, b.length()), c);
      assertThat(c.out).as("record %d", rec).isEqualTo(want);
    }
  }

  @Test
  void aPreviousValueWithTheNoPreviousBitsIsWrittenWholeAndStillDecodes() {
    double sentinel = Double.longBitsToDouble(RecordEncoder.NO_PREVIOUS);
    RecordEncoder enc = new RecordEncoder();
    RecordDecoder dec = new RecordDecoder();
    ByteSink s = new ByteSink();
    enc.floatsV2StartCallerChained();
    enc.floatV2(5, 1000, sentinel, RecordEncoder.NO_PREVIOUS);
    enc.floatV2(5, 2000, 7.0, RecordEncoder.NO_PREVIOUS); // the caller's chain holds the sentinel
    enc.floatV2(5, 3000, 8.0, Double.doubleToRawLongBits(7.0));
    enc.floatsV2End(s);
    Collect c = new Collect();
    dec.decode(new ByteSource("sentinel", s.array(), 0, s.length()), c);
    assertThat(c.out).containsExactly(
        new Sample(5, 1000, RecordEncoder.NO_PREVIOUS),
        new Sample(5, 2000, Double.doubleToRawLongBits(7.0)),
        new Sample(5, 3000, Double.doubleToRawLongBits(8.0)));
  }

  @Test
  void aRecordIsEitherCallerChainedOrNot() {
    RecordEncoder enc = new RecordEncoder();
    enc.floatsV2Start();
    assertThatThrownBy(() -> enc.floatV2(1, 1, 1.0, RecordEncoder.NO_PREVIOUS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("own chain");
    enc.floatsV2StartCallerChained();
    assertThatThrownBy(() -> enc.floatV2(1, 1, 1.0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("caller-chained");
  }

  @Test
  void goldenBytes() {
    RecordEncoder enc = new RecordEncoder();
    ByteSink s = new ByteSink();
    enc.floatsV2Start();
    enc.floatV2(3, 1000, 1.0); // first value of series 3: integer 1
    enc.floatV2(4, 1000, 0.5); // first value of series 4: raw
    enc.floatV2(5, 1000, -0.0); // raw
    s.reset();
    enc.floatsV2End(s);
    assertThat(HexFormat.of().formatHex(s.toByteArray())).isEqualTo("11" + "03"
        + "06" + "02" + "02" + "00" // refs: delta 3, delta 1, delta 1 again + 0 more
        + "d00f" + "00" + "00" + "00" // timestamps: 1000, then 0, 0 + 0 more
        + "ba" + "a0" // codes: INTEGER(b), RAW(a) | RAW(a), pad
        + "02" + "3fe0000000000000" + "8000000000000000");
    enc.floatsV2Start();
    enc.floatV2(3, 1015, 1.0); // same bits
    enc.floatV2(4, 1015, 0.75); // scale 2: 75 - 50 = 25, zig-zag 0x32 (shorter than the XOR)
    enc.floatV2(5, 1015, 2.5); // scale 1: 25 - round(-0.0 * 10) = 25, zig-zag 0x32
    enc.floatV2(9, 1015, StaleNaN.VALUE); // new series, not integral: raw
    s.reset();
    enc.floatsV2End(s);
    assertThat(HexFormat.of().formatHex(s.toByteArray())).isEqualTo("11" + "04"
        + "06" + "02" + "02" + "00" + "08" // refs 3, 4, 5 (pair, 0 more), then +4
        + "ee0f" + "00" + "00" + "01" // timestamps 1015, 0, 0 + 1 more
        + "04" + "3a" // codes SAME(0), DELTA+2(4) | DELTA+1(3), RAW(a)
        + "32" + "32" + "7ff0000000000002");
    Collect c = new Collect();
    RecordDecoder dec = new RecordDecoder();
    dec.decode(new ByteSource("a", HexFormat.of().parseHex("1103060202" + "00d00f000000baa002"
        + "3fe0000000000000" + "8000000000000000")), c);
    dec.decode(new ByteSource("b", s.toByteArray()), c);
    assertThat(c.out).extracting(Sample::toString).containsExactly("3@1000=3ff0000000000000",
        "4@1000=3fe0000000000000", "5@1000=8000000000000000", "3@1015=3ff0000000000000",
        "4@1015=3fe8000000000000", "5@1015=4004000000000000", "9@1015=7ff0000000000002");
  }

  @Test
  void type2RecordsStillDecode() {
    // Written by RecordEncoder.floatsStart/floatSample (format v0.1), kept as bytes.
    byte[] v1 = HexFormat.of().parseHex("02" + "0000000000000003" + "00000000000003e8" + "00"
        + "00" + "3ff0000000000000" + "01" + "1e" + "c000000000000000");
    Collect c = new Collect();
    new RecordDecoder().decode(new ByteSource("v1", v1), c);
    assertThat(c.out).extracting(Sample::toString)
        .containsExactly("3@1000=3ff0000000000000", "2@1015=c000000000000000");
  }

  @Test
  void aValueCodedAgainstAnUnseenValueIsAnErrorNotAWrongValue() {
    RecordEncoder enc = new RecordEncoder();
    ByteSink first = new ByteSink();
    ByteSink second = new ByteSink();
    enc.floatsV2Start();
    enc.floatV2(7, 1, 10.0);
    enc.floatsV2End(first);
    enc.floatsV2Start();
    enc.floatV2(7, 2, 11.0);
    enc.floatsV2End(second);
    RecordDecoder fresh = new RecordDecoder();
    assertThatThrownBy(() -> fresh.decode(new ByteSource("second", second.toByteArray()),
        new Collect())).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("series 7").hasMessageContaining("start of their segment");
    RecordDecoder restarted = new RecordDecoder();
    restarted.decode(new ByteSource("first", first.toByteArray()), new Collect());
    restarted.segmentStart(); // the reader moved on to another segment: older values are gone
    assertThatThrownBy(() -> restarted.decode(new ByteSource("second", second.toByteArray()),
        new Collect())).isInstanceOf(CorruptDataException.class);
  }

  /**
   * Replay decodes records in a reused buffer larger than the record: a record cut short there
   * must fail as it does alone, never go on into the bytes after its end.
   */
  @Test
  void aRecordCutShortInsideALargerBufferNeverReadsPastItsEnd() {
    SplittableRandom r = new SplittableRandom(4);
    for (int iter = 0; iter < 40; iter++) {
      RecordEncoder enc = new RecordEncoder();
      ByteSink head = firstRecord(enc, r, 200);
      ByteSink s = new ByteSink();
      enc.floatsV2Start();
      for (int i = 0; i < 200; i++) {
        enc.floatV2(1 + i, 6, next(r, i, 50, false));
      }
      enc.floatsV2End(s);
      byte[] full = s.toByteArray();
      byte[] garbage = new byte[full.length + 64];
      for (int len = 0; len < full.length; len++) {
        byte[] buf = Arrays.copyOf(full, garbage.length);
        r.nextBytes(garbage);
        System.arraycopy(garbage, 0, buf, len, buf.length - len);
        RecordDecoder dec = new RecordDecoder();
        dec.decode(new ByteSource("head", head.toByteArray()), new Collect());
        Collect c = new Collect();
        int end = len;
        assertThatThrownBy(() -> dec.decode(new ByteSource("rec", buf, 0, end), c))
            .as("length %d of %d", len, full.length).isInstanceOf(CorruptDataException.class);
        assertThat(c.out).isEmpty();
      }
    }
  }

  @Test
  void anXorHeaderWithNoBytesLeftIsAnErrorNotTheOldValue() {
    RecordEncoder enc = new RecordEncoder();
    ByteSink first = new ByteSink();
    enc.floatsV2Start();
    enc.floatV2(7, 1, 1.0);
    enc.floatsV2End(first);
    ByteSink second = new ByteSink();
    enc.floatsV2Start();
    double v = 1.0 + 0x1p-20; // not a short decimal, and 2 bytes apart from 1.0: XOR-coded
    enc.floatV2(7, 2, v);
    for (int i = 0; i < 3; i++) {
      enc.floatV2(100 + i, 2, 0.1 * (i + 1)); // unseen series: 8 bytes each, after the XOR
    }
    enc.floatsV2End(second);
    byte[] bytes = second.toByteArray();
    long x = Double.doubleToRawLongBits(1.0) ^ Double.doubleToRawLongBits(v);
    int lz = Long.numberOfLeadingZeros(x) / 8;
    int tz = Long.numberOfTrailingZeros(x) / 8;
    byte[] xor = new byte[1 + 8 - lz - tz]; // the header, then the bytes between the zeros
    xor[0] = (byte) (lz << 4 | tz);
    for (int i = 1; i < xor.length; i++) {
      xor[i] = (byte) (x >>> (8 * (8 - lz - i)));
    }
    int header = indexOf(bytes, xor);
    assertThat(header).as("the XOR-coded value in %s", Arrays.toString(bytes)).isPositive();
    RecordDecoder dec = new RecordDecoder();
    dec.decode(new ByteSource("first", first.toByteArray()), new Collect());
    Collect fine = new Collect();
    dec.decode(new ByteSource("second", bytes), fine);
    assertThat(fine.out.get(0).bits()).isEqualTo(Double.doubleToRawLongBits(v));
    bytes[header] = (byte) 0x44; // 4 + 4 zero bytes of 8: nothing left to XOR
    RecordDecoder again = new RecordDecoder();
    again.decode(new ByteSource("first", first.toByteArray()), new Collect());
    Collect c = new Collect();
    assertThatThrownBy(() -> again.decode(new ByteSource("second", bytes), c))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("4 leading and 4 trailing");
    assertThat(c.out).isEmpty();
  }

  @Test
  void truncatedOrPaddedRecordsAreErrorsNeverGarbage() {
    SplittableRandom r = new SplittableRandom(3);
    for (int iter = 0; iter < 40; iter++) {
      RecordEncoder enc = new RecordEncoder();
      ByteSink head = firstRecord(enc, r, 20);
      ByteSink s = new ByteSink();
      enc.floatsV2Start();
      for (int i = 0; i < 1 + r.nextInt(30); i++) {
        enc.floatV2(1 + r.nextInt(25), 6 + r.nextInt(3), next(r, i, 50, false));
      }
      enc.floatsV2End(s);
      byte[] full = s.toByteArray();
      for (int len = 0; len <= full.length + 1; len++) {
        if (len == full.length) {
          continue;
        }
        byte[] cut = Arrays.copyOf(full, len); // len > full.length: a trailing zero byte
        RecordDecoder dec = new RecordDecoder();
        dec.decode(new ByteSource("head", head.toByteArray()), new Collect());
        Collect c = new Collect();
        assertThatThrownBy(() -> dec.decode(new ByteSource("rec", cut), c))
            .as("length %d of %d", len, full.length).isInstanceOf(CorruptDataException.class);
        assertThat(c.out).isEmpty();
      }
    }
  }

  @Test
  void scrapeShapedRecordsCostAboutOneByteAndAHalfPerSample() {
    // 1000 series in ref order, one timestamp, counters and constants: the common case.
    RecordEncoder enc = new RecordEncoder();
    SplittableRandom r = new SplittableRandom(5);
    double[] v = new double[1001];
    ByteSink s = new ByteSink();
    long bytes = 0;
    for (int scrape = 0; scrape < 20; scrape++) {
      enc.floatsV2Start();
      for (int ref = 1; ref <= 1000; ref++) {
        v[ref] += ref % 2 == 0 ? r.nextInt(30) : 0;
        enc.floatV2(ref, scrape * 15_000L, v[ref]);
      }
      s.reset();
      enc.floatsV2End(s);
      if (scrape > 0) {
        bytes += s.length();
      }
    }
    assertThat((double) bytes / (19 * 1000)).isLessThan(1.0);
  }

  /** A first record of series 1 to n with small whole values, for the next to chain on. */
  private static ByteSink firstRecord(RecordEncoder enc, SplittableRandom r, int n) {
    ByteSink out = new ByteSink();
    enc.floatsV2Start();
    for (int i = 0; i < n; i++) {
      enc.floatV2(1 + i, 5, r.nextInt(100));
    }
    enc.floatsV2End(out);
    return out;
  }

  private static int indexOf(byte[] in, byte[] what) {
    for (int i = 0; i + what.length <= in.length; i++) {
      if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
        return i;
      }
    }
    return -1;
  }
}
