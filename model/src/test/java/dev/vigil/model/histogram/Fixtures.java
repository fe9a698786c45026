package dev.vigil.model.histogram;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the generated case tables under testdata/ (cases of Prometheus's
 * float_histogram_test.go): "case NAME" starts a case, then "key value" lines. A histogram value
 * is "H hint schema zeroThreshold zeroCount count sum | posSpans | posBuckets | negSpans |
 * negBuckets | cv customValues" with spans as offset:length and "-" for empty; "nil" for none.
 */
final class Fixtures {
  private Fixtures() {}

  record Case(String name, Map<String, String> fields) {
    String get(String key) {
      return fields.getOrDefault(key, "");
    }

    boolean flag(String key) {
      return Boolean.parseBoolean(get(key).toLowerCase());
    }

    FloatHistogram histogram(String key) {
      return parseHistogram(get(key));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> load(String file) {
    try (InputStream in = Fixtures.class.getResourceAsStream("testdata/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing testdata/" + file);
      }
      List<Case> out = new ArrayList<>();
      String name = null;
      Map<String, String> fields = null;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("case ")) {
          if (name != null) {
            out.add(new Case(name, fields));
          }
          name = line.substring(5);
          fields = new LinkedHashMap<>();
          continue;
        }
        int sp = line.indexOf(' ');
        fields.put(sp < 0 ? line : line.substring(0, sp), sp < 0 ? "" : line.substring(sp + 1));
      }
      if (name != null) {
        out.add(new Case(name, fields));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static FloatHistogram parseHistogram(String s) {
    if (s.equals("nil") || s.isEmpty()) {
      return null;
    }
    String[] parts = s.split("\\|");
    String[] head = parts[0].trim().split(" ");
    CounterResetHint hint = CounterResetHint.valueOf(head[1]);
    int schema = Integer.parseInt(head[2]);
    double zt = num(head[3]);
    double zc = num(head[4]);
    double count = num(head[5]);
    double sum = num(head[6]);
    String cv = parts[5].trim();
    return new FloatHistogram(hint, schema, zt, zc, count, sum, spans(parts[1]), floats(parts[2]),
        spans(parts[3]), floats(parts[4]), cv.equals("-") ? null : floats(cv.substring(2)));
  }

  private static List<Span> spans(String s) {
    s = s.trim();
    List<Span> out = new ArrayList<>();
    if (s.equals("-") || s.isEmpty()) {
      return out;
    }
    for (String t : s.split(" ")) {
      String[] p = t.split(":");
      out.add(new Span(Integer.parseInt(p[0]), Integer.parseInt(p[1])));
    }
    return out;
  }

  private static double[] floats(String s) {
    s = s.trim();
    if (s.equals("-") || s.isEmpty()) {
      return new double[0];
    }
    String[] t = s.split(" ");
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      out[i] = num(t[i]);
    }
    return out;
  }

  static double num(String s) {
    return switch (s) {
      case "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }
}
