package dev.vigil.rules.notify;

import dev.vigil.model.labels.Labels;
import java.util.List;

/**
 * The body of {@code POST /api/v2/alerts}: a JSON array of {@code postableAlert}s, fields in
 * Prometheus's order, times as RFC 3339 in UTC, strings escaped as Go's {@code encoding/json}
 * escapes them (including {@code <}, {@code >}, {@code &}).
 */
public final class AlertmanagerPayload {
  private AlertmanagerPayload() {}

  public static String encode(List<NotifierAlert> alerts) {
    StringBuilder b = new StringBuilder(256 * alerts.size() + 2).append('[');
    for (int i = 0; i < alerts.size(); i++) {
      NotifierAlert a = alerts.get(i);
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"labels\":");
      object(b, a.labels());
      b.append(",\"annotations\":");
      object(b, a.annotations());
      b.append(",\"startsAt\":");
      string(b, a.startsAt().toString());
      b.append(",\"endsAt\":");
      string(b, a.endsAt().toString());
      b.append(",\"generatorURL\":");
      string(b, a.generatorUrl());
      b.append('}');
    }
    return b.append(']').toString();
  }

  private static void object(StringBuilder b, Labels l) {
    b.append('{');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      string(b, l.name(i));
      b.append(':');
      string(b, l.value(i));
    }
    b.append('}');
  }

  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
