package dev.vigil.rules.file;

import dev.vigil.model.labels.LabelStrings;
import dev.vigil.rules.file.RawRuleFile.Group;
import dev.vigil.rules.file.RawRuleFile.RawRule;
import dev.vigil.rules.template.AlertTemplates;
import dev.vigil.rules.template.GoStrings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Semantic checks of a decoded rule file, in the order and with the words of Prometheus's
 * rulefmt (RuleGroups.Validate, Rule.Validate, testTemplateParsing). Where Go iterates a map
 * (labels, annotations) and so has no stable order, Vigil uses file order.
 */
final class RuleValidator {
  private RuleValidator() {}

  static List<String> validate(RawRuleFile file, ExprValidator exprValidator) {
    List<String> errs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Group g : file.groups()) {
      if (g.name().isEmpty()) {
        errs.add(g.position() + ": Groupname must not be empty");
      }
      if (!names.add(g.name())) {
        errs.add(g.position() + ": groupname: \"" + g.name() + "\" is repeated in the same file");
      }
      for (Map.Entry<String, String> l : g.labels().entrySet()) {
        if (!LabelStrings.isValidLegacyLabelName(l.getKey()) || l.getKey().equals("__name__")) {
          errs.add("invalid label name: " + l.getKey());
        }
      }
      for (int i = 0; i < g.rules().size(); i++) {
        RawRule r = g.rules().get(i);
        String ruleName = !r.alert().value().isEmpty() ? r.alert().value() : r.record().value();
        String prefix = "group " + GoStrings.quote(g.name()) + ", rule " + (i + 1) + ", "
            + GoStrings.quote(ruleName) + ": ";
        for (Located e : validateRule(r, exprValidator)) {
          errs.add(e.where() == null ? prefix + e.message() : e.where() + ": " + prefix
              + e.message());
        }
      }
    }
    return errs;
  }

  /** One rule error; {@code where} is rendered before the group/rule context, if present. */
  private record Located(@Nullable String where, String message) {
    static Located at(Position p, String message) {
      return new Located(p.toString(), message);
    }

    static Located unplaced(String message) {
      return new Located(null, message);
    }
  }

  private static List<Located> validateRule(RawRule r, ExprValidator exprValidator) {
    List<Located> errs = new ArrayList<>();
    String record = r.record().value();
    String alert = r.alert().value();
    if (!record.isEmpty() && !alert.isEmpty()) {
      errs.add(new Located(r.record().position() + ": " + r.alert().position(),
          "only one of 'record' and 'alert' must be set"));
    }
    if (record.isEmpty() && alert.isEmpty()) {
      errs.add(Located.at(r.record().position(), "one of 'record' or 'alert' must be set"));
    }
    if (r.expr().value().isEmpty()) {
      errs.add(Located.at(r.expr().position(), "field 'expr' must be set in rule"));
    } else {
      String err = exprValidator.validate(r.expr().value());
      if (err != null) {
        errs.add(Located.at(r.expr().position(), "could not parse expression: " + err));
      }
    }
    if (!record.isEmpty()) {
      Position p = r.record().position();
      if (!r.annotations().isEmpty()) {
        errs.add(Located.at(p, "invalid field 'annotations' in recording rule"));
      }
      if (r.forMillis() != 0) {
        errs.add(Located.at(p, "invalid field 'for' in recording rule"));
      }
      if (r.keepFiringForMillis() != 0) {
        errs.add(Located.at(p, "invalid field 'keep_firing_for' in recording rule"));
      }
      if (!LabelStrings.isValidLegacyMetricName(record)) {
        errs.add(Located.at(p, "invalid recording rule name: " + record));
      }
    }
    for (String k : r.labels().keySet()) {
      if (!LabelStrings.isValidLegacyLabelName(k) || k.equals("__name__")) {
        errs.add(Located.unplaced("invalid label name: " + k));
      }
    }
    for (String k : r.annotations().keySet()) {
      if (!LabelStrings.isValidLegacyLabelName(k)) {
        errs.add(Located.unplaced("invalid annotation name: " + k));
      }
    }
    if (!alert.isEmpty()) {
      r.labels().forEach((k, v) -> {
        String err = AlertTemplates.parseError(alert, v);
        if (err != null) {
          errs.add(Located.unplaced("label " + GoStrings.quote(k) + ": " + err));
        }
      });
      r.annotations().forEach((k, v) -> {
        String err = AlertTemplates.parseError(alert, v);
        if (err != null) {
          errs.add(Located.unplaced("annotation " + GoStrings.quote(k) + ": " + err));
        }
      });
    }
    return errs;
  }
}
