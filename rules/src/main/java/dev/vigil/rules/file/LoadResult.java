package dev.vigil.rules.file;

import java.util.List;

/** The outcome of loading a rule file: the file, or every error found, as promtool lists them. */
public sealed interface LoadResult {

  record Loaded(RuleFile file) implements LoadResult {}

  /**
   * @param errors full lines as promtool prints them, each starting with the file name, e.g.
   *     {@code rules.yaml: 4:13: group "g", rule 1, "x": invalid recording rule name: x y}
   */
  record Failed(List<String> errors) implements LoadResult {
    public Failed {
      errors = List.copyOf(errors);
    }
  }
}
