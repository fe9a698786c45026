package dev.vigil.rules.file;

import dev.vigil.model.labels.Labels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code promtool check rules} as a library: the same stdout, stderr and exit code, so that
 * {@code vigil check rules} can print them unchanged.
 */
public final class RuleFileChecker {
  public static final int SUCCESS = 0;
  public static final int FAILURE = 1;
  public static final int LINT_FAILURE = 3;

  /** What promtool's {@code --lint} accepts. */
  public enum Lint { NONE, DUPLICATE_RULES }

  /** The two streams promtool writes and its exit code. */
  public record Result(String stdout, String stderr, int exitCode) {}

  private final RuleFileLoader loader;
  private final Lint lint;
  private final boolean lintFatal;

  /**
   * @param lintFatal promtool's {@code --lint-fatal}: lint findings exit with 3 instead of 0
   */
  public RuleFileChecker(ExprValidator exprValidator, Lint lint, boolean lintFatal) {
    this.loader = new RuleFileLoader(exprValidator);
    this.lint = lint;
    this.lintFatal = lintFatal;
  }

  /** promtool's defaults: {@code --lint=duplicate-rules}, not fatal. */
  public static RuleFileChecker promtoolDefaults(ExprValidator exprValidator) {
    return new RuleFileChecker(exprValidator, Lint.DUPLICATE_RULES, false);
  }

  public Result check(List<Path> files) {
    List<NamedContent> inputs = new ArrayList<>();
    files.forEach(p -> inputs.add(new NamedContent(p.toString(), null, p)));
    return run(inputs);
  }

  /** Checks in-memory files, named as given. */
  public Result checkContents(Map<String, String> filesByName) {
    List<NamedContent> inputs = new ArrayList<>();
    filesByName.forEach((n, c) -> inputs.add(new NamedContent(n, c, null)));
    return run(inputs);
  }

  /** Exactly one of content and path is set. */
  private record NamedContent(String name, @Nullable String content, @Nullable Path path) {}

  private Result run(List<NamedContent> inputs) {
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    boolean failed = false;
    boolean hasErrors = false;
    for (NamedContent in : inputs) {
      out.append("Checking ").append(in.name()).append('\n');
      String content = in.content();
      LoadResult result = content != null ? loader.load(in.name(), content)
          : loader.load(java.util.Objects.requireNonNull(in.path()));
      List<String> errors = new ArrayList<>();
      int rules = 0;
      switch (result) {
        case LoadResult.Failed f -> {
          errors.addAll(f.errors());
          hasErrors = true;
        }
        case LoadResult.Loaded l -> {
          rules = l.file().ruleCount();
          if (lint == Lint.DUPLICATE_RULES) {
            String dup = duplicateRules(l.file());
            if (dup != null) {
              errors.add(dup);
            }
          }
        }
      }
      if (!errors.isEmpty()) {
        failed = true;
        err.append("  FAILED:\n");
        errors.forEach(e -> err.append(e).append('\n'));
      } else {
        out.append("  SUCCESS: ").append(rules).append(" rules found\n");
      }
      out.append('\n');
    }
    int exit = SUCCESS;
    if (failed && hasErrors) {
      exit = FAILURE;
    } else if (failed && lintFatal) {
      exit = LINT_FAILURE;
    }
    return new Result(out.toString(), err.toString(), exit);
  }

  private record RuleKey(String metric, Labels labels) implements Comparable<RuleKey> {
    @Override
    public int compareTo(RuleKey o) {
      int c = metric.compareTo(o.metric);
      return c != 0 ? c : labels.compareTo(o.labels);
    }
  }

  /**
   * promtool's duplicate-rules lint: rules with the same name and the same labels (group labels
   * merged in, as Prometheus 3 does), reported once each in sorted order.
   */
  static @Nullable String duplicateRules(RuleFile file) {
    List<RuleKey> keys = new ArrayList<>();
    for (RuleGroup g : file.groups()) {
      for (Rule r : g.rules()) {
        Map<String, String> labels = new HashMap<>(g.labels());
        labels.putAll(r.labels());
        keys.add(new RuleKey(r.name(), Labels.fromMap(labels)));
      }
    }
    if (keys.size() < 2) {
      return null;
    }
    keys.sort(null);
    List<RuleKey> dups = new ArrayList<>();
    RuleKey last = keys.getFirst();
    for (int i = 1; i < keys.size(); i++) {
      if (last.compareTo(keys.get(i)) == 0
          && (dups.isEmpty() || last.compareTo(dups.getLast()) != 0)) {
        dups.add(keys.get(i));
      }
      last = keys.get(i);
    }
    if (dups.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder("lint error ").append(dups.size())
        .append(" duplicate rule(s) found.\n");
    for (RuleKey d : dups) {
      sb.append("Metric: ").append(d.metric()).append("\nLabel(s):\n");
      d.labels().forEach((n, v) -> sb.append('\t').append(n).append(": ").append(v).append('\n'));
    }
    return sb.append("Might cause inconsistency while recording expressions").toString();
  }
}
