package dev.vigil.tsdb.block;

import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code meta.json} of a block: identity, time range {@code [minTime, maxTime)} (exclusive
 * end, as Prometheus), statistics and the exact length of every data file so a reader detects
 * truncated or half-written files. Written last, so a block without it is incomplete.
 */
public record BlockMeta(
    int version, String ulid, long minTime, long maxTime, long numSeries, long numSamples,
    long numChunks, int level, long indexLength, long[] chunkSegmentLengths) {
  public static final int VERSION_1 = 1;

  public String toJson() {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"version\": ").append(version).append(",\n");
    sb.append("  \"ulid\": \"").append(ulid).append("\",\n");
    sb.append("  \"minTime\": ").append(minTime).append(",\n");
    sb.append("  \"maxTime\": ").append(maxTime).append(",\n");
    sb.append("  \"stats\": {\"numSeries\": ").append(numSeries).append(", \"numSamples\": ")
        .append(numSamples).append(", \"numChunks\": ").append(numChunks).append("},\n");
    sb.append("  \"compaction\": {\"level\": ").append(level).append("},\n");
    sb.append("  \"files\": {\"index\": ").append(indexLength).append(", \"chunks\": [");
    for (int i = 0; i < chunkSegmentLengths.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(chunkSegmentLengths[i]);
    }
    return sb.append("]}\n}\n").toString();
  }

  /** Parses what {@link #toJson} writes (a strict subset of JSON; unknown keys are errors). */
  public static BlockMeta fromJson(String resource, String json) {
    Parser p = new Parser(resource, json);
    int version = -1;
    String ulid = null;
    Long minT = null;
    Long maxT = null;
    long series = 0;
    long samples = 0;
    long chunks = 0;
    int level = 1;
    Long index = null;
    long[] segs = null;
    p.expect('{');
    do {
      String key = p.string();
      p.expect(':');
      switch (key) {
        case "version" -> version = (int) p.number();
        case "ulid" -> ulid = p.string();
        case "minTime" -> minT = p.number();
        case "maxTime" -> maxT = p.number();
        case "stats" -> {
          p.expect('{');
          do {
            String k = p.string();
            p.expect(':');
            long v = p.number();
            switch (k) {
              case "numSeries" -> series = v;
              case "numSamples" -> samples = v;
              case "numChunks" -> chunks = v;
              default -> throw p.error("unknown stats key " + k);
            }
          } while (p.comma());
          p.expect('}');
        }
        case "compaction" -> {
          p.expect('{');
          String k = p.string();
          if (!k.equals("level")) {
            throw p.error("unknown compaction key " + k);
          }
          p.expect(':');
          level = (int) p.number();
          p.expect('}');
        }
        case "files" -> {
          p.expect('{');
          do {
            String k = p.string();
            p.expect(':');
            if (k.equals("index")) {
              index = p.number();
            } else if (k.equals("chunks")) {
              List<Long> ls = new ArrayList<>();
              p.expect('[');
              if (!p.peek(']')) {
                do {
                  ls.add(p.number());
                } while (p.comma());
              }
              p.expect(']');
              segs = new long[ls.size()];
              for (int i = 0; i < segs.length; i++) {
                segs[i] = ls.get(i);
              }
            } else {
              throw p.error("unknown files key " + k);
            }
          } while (p.comma());
          p.expect('}');
        }
        default -> throw p.error("unknown key " + key);
      }
    } while (p.comma());
    p.expect('}');
    p.end();
    if (version != VERSION_1) {
      throw new UnsupportedFormatVersionException(resource, 0, version, VERSION_1, VERSION_1);
    }
    if (ulid == null || minT == null || maxT == null || index == null || segs == null) {
      throw p.error("missing one of ulid, minTime, maxTime, files.index, files.chunks");
    }
    return new BlockMeta(version, ulid, minT, maxT, series, samples, chunks, level, index, segs);
  }

  /** A minimal JSON tokenizer for the fixed meta schema. */
  private static final class Parser {
    private final String resource;
    private final String s;
    private int i;

    Parser(String resource, String s) {
      this.resource = resource;
      this.s = s;
    }

    CorruptDataException error(String what) {
      return new CorruptDataException(resource, i, "meta.json: " + what);
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    void expect(char c) {
      ws();
      if (i >= s.length() || s.charAt(i) != c) {
        throw error("expected '" + c + "', found " + (i >= s.length() ? "end" : "'" + s.charAt(i) + "'"));
      }
      i++;
    }

    boolean peek(char c) {
      ws();
      return i < s.length() && s.charAt(i) == c;
    }

    boolean comma() {
      if (peek(',')) {
        i++;
        return true;
      }
      return false;
    }

    String string() {
      expect('"');
      int start = i;
      while (i < s.length() && s.charAt(i) != '"') {
        if (s.charAt(i) == '\\') {
          throw error("escapes are not used in meta.json");
        }
        i++;
      }
      if (i >= s.length()) {
        throw error("unterminated string");
      }
      return s.substring(start, i++);
    }

    long number() {
      ws();
      int start = i;
      if (i < s.length() && s.charAt(i) == '-') {
        i++;
      }
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      try {
        return Long.parseLong(s.substring(start, i));
      } catch (NumberFormatException e) {
        i = start;
        throw error("expected an integer");
      }
    }

    void end() {
      ws();
      if (i != s.length()) {
        throw error("trailing characters");
      }
    }
  }
}
