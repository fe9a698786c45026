package dev.vigil.rules.file;

import java.util.LinkedHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A rule file as decoded, before validation: the shape of Prometheus's RuleGroups/RuleNode with
 * the YAML positions promtool reports. Invalid combinations (record and alert both set, ...) are
 * representable here on purpose, so that the validator can report them.
 */
record RawRuleFile(List<Group> groups) {

  /** A scalar field and where its value stands; absent fields have {@link Position#NONE}. */
  record Scalar(String value, Position position) {
    static final Scalar ABSENT = new Scalar("", Position.NONE);
  }

  record Group(Position position, String name, @Nullable Long intervalMillis,
      @Nullable Long queryOffsetMillis, long limit, LinkedHashMap<String, String> labels,
      List<RawRule> rules) {}

  record RawRule(Scalar record, Scalar alert, Scalar expr, long forMillis,
      long keepFiringForMillis, LinkedHashMap<String, String> labels,
      LinkedHashMap<String, String> annotations) {}
}
