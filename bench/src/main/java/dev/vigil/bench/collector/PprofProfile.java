package dev.vigil.bench.collector;

import com.google.protobuf.CodedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * The parts of a Go CPU profile ({@code /debug/pprof/profile}: gzipped {@code profile.proto} of
 * github.com/google/pprof) needed to attribute CPU time to functions. Decoded field by field with
 * protobuf's {@link CodedInputStream}; field numbers are those of {@code profile.proto}.
 */
final class PprofProfile {
  /** One stack sample: its location ids (leaf first) and its CPU nanoseconds. */
  record Sample(long[] locations, long cpuNanos) {}

  final List<Sample> samples = new ArrayList<>();
  final Map<Long, long[]> locationFunctions = new HashMap<>(); // location id -> function ids (inlined included)
  final Map<Long, Long> functionNames = new HashMap<>(); // function id -> string index
  final List<String> strings = new ArrayList<>();
  long durationNanos;
  private final List<long[]> rawValues = new ArrayList<>();
  private final List<long[]> sampleTypes = new ArrayList<>();

  static PprofProfile parse(byte[] gz) throws IOException {
    byte[] raw;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      raw = in.readAllBytes();
    }
    PprofProfile p = new PprofProfile();
    p.read(CodedInputStream.newInstance(raw));
    return p;
  }

  private void read(CodedInputStream in) throws IOException {
    List<long[]> sampleLocs = new ArrayList<>();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (tag >>> 3) {
        case 1 -> sampleTypes.add(valueType(in.readByteArray()));
        case 2 -> {
          long[][] s = sample(in.readByteArray());
          sampleLocs.add(s[0]);
          rawValues.add(s[1]);
        }
        case 4 -> location(in.readByteArray());
        case 5 -> function(in.readByteArray());
        case 6 -> strings.add(in.readStringRequireUtf8());
        case 10 -> durationNanos = in.readInt64();
        default -> in.skipField(tag);
      }
    }
    int cpu = -1;
    for (int i = 0; i < sampleTypes.size(); i++) {
      if (strings.get((int) sampleTypes.get(i)[1]).equals("nanoseconds")) {
        cpu = i;
      }
    }
    if (cpu < 0) {
      throw new IOException("profile has no nanoseconds sample type: not a CPU profile");
    }
    for (int i = 0; i < sampleLocs.size(); i++) {
      samples.add(new Sample(sampleLocs.get(i), rawValues.get(i)[cpu]));
    }
  }

  private static long[] valueType(byte[] b) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b);
    long[] t = new long[2];
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (tag >>> 3) {
        case 1 -> t[0] = in.readInt64();
        case 2 -> t[1] = in.readInt64();
        default -> in.skipField(tag);
      }
    }
    return t;
  }

  private static long[][] sample(byte[] b) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b);
    List<Long> locs = new ArrayList<>();
    List<Long> values = new ArrayList<>();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      int field = tag >>> 3;
      if (field == 1 || field == 2) {
        List<Long> into = field == 1 ? locs : values;
        if ((tag & 7) == 2) { // packed
          int limit = in.pushLimit(in.readRawVarint32());
          while (in.getBytesUntilLimit() > 0) {
            into.add(in.readRawVarint64());
          }
          in.popLimit(limit);
        } else {
          into.add(in.readRawVarint64());
        }
      } else {
        in.skipField(tag);
      }
    }
    return new long[][] {toArray(locs), toArray(values)};
  }

  private void location(byte[] b) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b);
    long id = 0;
    List<Long> functions = new ArrayList<>();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (tag >>> 3) {
        case 1 -> id = in.readUInt64();
        case 4 -> {
          CodedInputStream line = CodedInputStream.newInstance(in.readByteArray());
          while (!line.isAtEnd()) {
            int t = line.readTag();
            if (t >>> 3 == 1) {
              functions.add(line.readUInt64());
            } else {
              line.skipField(t);
            }
          }
        }
        default -> in.skipField(tag);
      }
    }
    locationFunctions.put(id, toArray(functions));
  }

  private void function(byte[] b) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b);
    long id = 0;
    long name = 0;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (tag >>> 3) {
        case 1 -> id = in.readUInt64();
        case 2 -> name = in.readInt64();
        default -> in.skipField(tag);
      }
    }
    functionNames.put(id, name);
  }

  /** Total CPU nanoseconds of all samples. */
  long totalCpuNanos() {
    long t = 0;
    for (Sample s : samples) {
      t += s.cpuNanos();
    }
    return t;
  }

  /** CPU nanoseconds of samples with at least one frame (inlined ones included) whose function matches. */
  long cpuNanosUnder(Predicate<String> function) {
    long t = 0;
    for (Sample s : samples) {
      if (anyFrame(s, function)) {
        t += s.cpuNanos();
      }
    }
    return t;
  }

  /** Flat CPU nanoseconds per leaf function name among samples under {@code function}. */
  Map<String, Long> leafNanosUnder(Predicate<String> function) {
    Map<String, Long> out = new HashMap<>();
    for (Sample s : samples) {
      if (s.locations().length > 0 && anyFrame(s, function)) {
        long[] fns = locationFunctions.getOrDefault(s.locations()[0], new long[0]);
        String leaf = fns.length == 0 ? "?" : name(fns[0]);
        out.merge(leaf, s.cpuNanos(), Long::sum);
      }
    }
    return out;
  }

  private boolean anyFrame(Sample s, Predicate<String> function) {
    for (long loc : s.locations()) {
      for (long fn : locationFunctions.getOrDefault(loc, new long[0])) {
        if (function.test(name(fn))) {
          return true;
        }
      }
    }
    return false;
  }

  String name(long functionId) {
    Long idx = functionNames.get(functionId);
    return idx == null ? "?" : strings.get(idx.intValue());
  }

  private static long[] toArray(List<Long> l) {
    long[] a = new long[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }
}
