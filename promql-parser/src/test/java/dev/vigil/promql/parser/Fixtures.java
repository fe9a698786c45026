package dev.vigil.promql.parser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the tab-separated fixtures under {@code testdata/}; {@code ##} starts a comment line. */
final class Fixtures {
  private Fixtures() {}

  /** One fixture line split at tabs, each field unescaped; {@code line} is 1-based. */
  record Row(int line, List<String> fields) {
    String field(int i) {
      return fields.get(i);
    }
  }

  static List<Row> read(String name) {
    String text;
    try (InputStream in = Fixtures.class.getResourceAsStream("testdata/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture testdata/" + name);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Row> rows = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.startsWith("##") || (l.isEmpty() && i == lines.length - 1)) {
        continue;
      }
      List<String> fields = new ArrayList<>();
      for (String f : l.split("\t", -1)) {
        fields.add(unescape(f));
      }
      rows.add(new Row(i + 1, fields));
    }
    return rows;
  }

  static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        sb.append(c);
        continue;
      }
      char e = s.charAt(++i);
      sb.append(switch (e) {
        case 'n' -> '\n';
        case 't' -> '\t';
        case 'r' -> '\r';
        default -> e;
      });
    }
    return sb.toString();
  }
}
