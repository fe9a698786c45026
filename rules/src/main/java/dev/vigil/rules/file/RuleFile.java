package dev.vigil.rules.file;

import java.util.List;

/** The groups of one rule file, in file order. */
public record RuleFile(String path, List<RuleGroup> groups) {
  public RuleFile {
    groups = List.copyOf(groups);
  }

  public int ruleCount() {
    return groups.stream().mapToInt(g -> g.rules().size()).sum();
  }
}
