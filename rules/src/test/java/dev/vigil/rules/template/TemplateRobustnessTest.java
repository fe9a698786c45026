package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated templates (seeded, so failures reproduce): parsing either succeeds or fails with a
 * TemplateParseException, and execution always returns an Expansion. No other exception, no hang.
 */
class TemplateRobustnessTest {
  private static final String[] PIECES = {
      "{{", "}}", "{{-", "-}}", " ", "\n", ".", "$", "$x", ":=", "=", "|", "(", ")", "\"", "`",
      "'", "a", "1", "1.5", "0x", "e", "-", "if", "else", "end", "range", "with", "define",
      "template", "block", "break", "continue", "nil", "true", ".Labels", "$labels", "humanize",
      "printf", "\"%d\"", "index", "len", "eq", "and", "/*", "*/", ",", "\\", "é", "{", "}"};

  @Test
  void randomTemplatesNeverCrash() {
    Random random = new Random(20261125L);
    Map<String, TemplateFunction> functions =
        PrometheusFunctions.create(0, QueryFunction.UNAVAILABLE, URI.create("http://x"));
    Value data = AlertTemplates.data(Map.of("instance", "i"), Map.of(), "", 1.5);
    int parsed = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(12);
      for (int k = 0; k < n; k++) {
        sb.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String text = sb.toString();
      Template t;
      try {
        t = Template.parse("r", text, functions);
      } catch (TemplateParseException e) {
        assertThat(e.getMessage()).as(text).startsWith("template: r:");
        continue;
      } catch (RuntimeException e) {
        throw new AssertionError("parse crashed on " + GoStrings.quote(text), e);
      }
      parsed++;
      try {
        assertThat(t.execute(data)).as(text).isNotNull();
      } catch (RuntimeException e) {
        throw new AssertionError("execute crashed on " + GoStrings.quote(text), e);
      }
    }
    assertThat(parsed).isGreaterThan(1000);
  }
}
