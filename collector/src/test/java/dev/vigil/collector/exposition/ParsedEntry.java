package dev.vigil.collector.exposition;

import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What the parser produced for one entry, in a form tests can compare with equals. */
record ParsedEntry(Entry kind, String name, String text, MetricType type, Labels labels, double value,
    Long timestamp, Exemplar exemplar) {

  static ParsedEntry help(String name, String text) {
    return new ParsedEntry(Entry.HELP, name, text, null, null, 0, null, null);
  }

  static ParsedEntry type(String name, MetricType t) {
    return new ParsedEntry(Entry.TYPE, name, null, t, null, 0, null, null);
  }

  static ParsedEntry unit(String name, String unit) {
    return new ParsedEntry(Entry.UNIT, name, unit, null, null, 0, null, null);
  }

  static ParsedEntry comment(String text) {
    return new ParsedEntry(Entry.COMMENT, null, text, null, null, 0, null, null);
  }

  static ParsedEntry series(Labels l, double v) {
    return new ParsedEntry(Entry.SERIES, null, null, null, l, v, null, null);
  }

  static ParsedEntry series(Labels l, double v, long ts) {
    return new ParsedEntry(Entry.SERIES, null, null, null, l, v, ts, null);
  }

  static ParsedEntry series(Labels l, double v, Long ts, Exemplar e) {
    return new ParsedEntry(Entry.SERIES, null, null, null, l, v, ts, e);
  }

  static List<ParsedEntry> parseAll(ExpositionFormat f, String input) {
    TextParser p = TextParser.create(f, input.getBytes(StandardCharsets.UTF_8));
    List<ParsedEntry> out = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      out.add(switch (e) {
        case HELP -> help(p.metricFamily(), p.help());
        case TYPE -> type(p.metricFamily(), p.type());
        case UNIT -> unit(p.metricFamily(), p.unit());
        case COMMENT -> comment(p.comment());
        case SERIES -> series(p.labels(), p.value(), p.hasTimestamp() ? p.timestamp() : null, p.exemplar());
        case HISTOGRAM, EOF -> throw new AssertionError();
      });
    }
    return out;
  }
}
