package dev.vigil.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.exposition.pb.Counter;
import dev.vigil.protocol.exposition.pb.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The raw family-name and help bytes every parser exposes at TYPE/HELP/UNIT entries, which the
 * scrape loop's metadata cache compares instead of decoding strings on every scrape.
 */
class FamilyBytesTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** "KIND family|help-as-written" for every metadata entry, checked against the byte methods. */
  private static List<String> metadataEntries(ExpositionParser p) {
    List<String> out = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e != Entry.TYPE && e != Entry.HELP && e != Entry.UNIT) {
        continue;
      }
      byte[] name = p.familyNameBytes();
      assertThat(p.familyNameEquals(name)).isTrue();
      assertThat(p.familyNameEquals(utf8(new String(name, StandardCharsets.UTF_8) + "x"))).isFalse();
      long h = p.familyNameHash();
      String entry = e + " " + new String(name, StandardCharsets.UTF_8);
      if (e == Entry.HELP) {
        byte[] help = p.helpBytes();
        assertThat(p.helpEquals(help)).isTrue();
        assertThat(p.helpEquals(utf8("other"))).isFalse();
        entry += "|" + new String(help, StandardCharsets.UTF_8) + "|" + p.help();
      }
      out.add(entry + " #" + h);
    }
    return out;
  }

  @Test
  void textFormatsGiveNamesAndHelpAsWritten() {
    String body = "# HELP a_total Counts \\\\ and\\nlines.\n# TYPE a_total counter\na_total 1\n"
        + "# HELP b Other.\n# TYPE b gauge\nb 2\n";
    List<String> prom = metadataEntries(TextParser.create(ExpositionFormat.PROMETHEUS_TEXT, utf8(body)));
    assertThat(prom).hasSize(4);
    assertThat(prom.get(0)).startsWith("HELP a_total|Counts \\\\ and\\nlines.|Counts \\ and\nlines. #");
    assertThat(prom.get(2)).startsWith("HELP b|Other.|Other. #");
    // Same name, same hash; another name, another hash.
    assertThat(hash(prom.get(0))).isEqualTo(hash(prom.get(1))).isNotEqualTo(hash(prom.get(2)));
    List<String> om = metadataEntries(TextParser.create(ExpositionFormat.OPENMETRICS_TEXT, utf8(
        "# TYPE c_seconds gauge\n# UNIT c_seconds seconds\n# HELP c_seconds A \\\"quoted\\\" help.\nc_seconds 1\n# EOF\n")));
    assertThat(om).hasSize(3);
    assertThat(om.get(1)).startsWith("UNIT c_seconds #");
    assertThat(om.get(2)).startsWith("HELP c_seconds|A \\\"quoted\\\" help.|A \"quoted\" help. #");
  }

  @Test
  void protobufGivesTheFamilyFields() {
    byte[] body = ProtobufParserTest.delimited(
        ProtobufParserTest.family("x_bytes_total", MetricType.COUNTER,
            ProtobufParserTest.metric().setCounter(Counter.newBuilder().setValue(1))).toBuilder()
            .setHelp("Bytes \\ sent.").setUnit("bytes").build());
    List<String> entries = metadataEntries(ProtobufParser.create(body, false));
    assertThat(entries).hasSize(3);
    assertThat(entries.get(0)).startsWith("HELP x_bytes_total|Bytes \\ sent.|Bytes \\ sent. #");
    assertThat(entries.get(1)).startsWith("UNIT x_bytes_total #");
    assertThat(hash(entries.get(0))).isEqualTo(hash(entries.get(2)));
  }

  private static String hash(String entry) {
    return entry.substring(entry.lastIndexOf('#'));
  }
}
