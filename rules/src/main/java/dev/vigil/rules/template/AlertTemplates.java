package dev.vigil.rules.template;

import dev.vigil.rules.template.Value.FloatValue;
import dev.vigil.rules.template.Value.MapValue;
import dev.vigil.rules.template.Value.StringValue;
import dev.vigil.rules.template.Value.StructValue;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Expands alert labels and annotations exactly as Prometheus's alerting rule does: the text is
 * prefixed with variable definitions ({@code $labels}, {@code $externalLabels},
 * {@code $externalURL}, {@code $value}), named {@code __alert_<alertname>}, and a failure becomes
 * the text {@code <error expanding template: ...>} instead of an exception.
 */
public final class AlertTemplates {
  /** Prepended to every alert template; it shifts columns on line 1, as in Prometheus. */
  public static final String PRELUDE = "{{$labels := .Labels}}"
      + "{{$externalLabels := .ExternalLabels}}"
      + "{{$externalURL := .ExternalURL}}"
      + "{{$value := .Value}}";

  static final String DATA_TYPE = "struct { Labels map[string]string; ExternalLabels "
      + "map[string]string; ExternalURL string; Value interface {} }";

  private AlertTemplates() {}

  public static String templateName(String alertName) {
    return "__alert_" + alertName;
  }

  /** Prometheus's AlertTemplateData for a float sample. */
  public static Value data(Map<String, String> labels, Map<String, String> externalLabels,
      String externalUrl, double value) {
    Map<String, Value> fields = new LinkedHashMap<>();
    fields.put("Labels", MapValue.ofStrings(labels));
    fields.put("ExternalLabels", MapValue.ofStrings(externalLabels));
    fields.put("ExternalURL", new StringValue(externalUrl));
    fields.put("Value", new FloatValue(value));
    return new StructValue(fields, DATA_TYPE, false);
  }

  /**
   * The parse check promtool runs on every label and annotation of an alerting rule.
   *
   * @return Go's parse error, or null if the template parses
   */
  public static @Nullable String parseError(String alertName, String text) {
    try {
      Template.parse(templateName(alertName), PRELUDE + text, PrometheusFunctions.forParsing());
      return null;
    } catch (TemplateParseException e) {
      return e.getMessage();
    }
  }

  /**
   * Expands one label value or annotation. Never throws for template problems.
   *
   * @param timestampMillis evaluation time of the rule (for {@code query})
   */
  public static String expand(String alertName, String text, Value data, long timestampMillis,
      QueryFunction query, URI externalUrl) {
    String name = templateName(alertName);
    Template t;
    try {
      t = Template.parse(name, PRELUDE + text,
          PrometheusFunctions.create(timestampMillis, query, externalUrl));
    } catch (TemplateParseException e) {
      return "<error expanding template: error parsing template " + name + ": " + e.getMessage()
          + ">";
    }
    return switch (t.execute(data)) {
      case Expansion.Success s -> s.text();
      case Expansion.Failure f ->
          "<error expanding template: error executing template " + name + ": " + f.message()
              + ">";
    };
  }
}
