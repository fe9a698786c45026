package dev.vigil.rules.file;

import dev.vigil.rules.file.RawRuleFile.Group;
import dev.vigil.rules.file.RawRuleFile.RawRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads Prometheus rule files with promtool's strictness: unknown fields, type errors, bad
 * durations, invalid names, misplaced fields and template parse errors are all rejected, and
 * every error line is the one promtool prints.
 */
public final class RuleFileLoader {
  private final ExprValidator exprValidator;

  public RuleFileLoader(ExprValidator exprValidator) {
    this.exprValidator = exprValidator;
  }

  /** Reads {@code path}; errors are prefixed with the path as given. */
  public LoadResult load(Path path) {
    String name = path.toString();
    String content;
    try {
      content = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new LoadResult.Failed(List.of(name + ": open " + name
          + ": no such file or directory"));
    } catch (IOException e) {
      return new LoadResult.Failed(List.of(name + ": " + e.getMessage()));
    }
    return load(name, content);
  }

  /**
   * @param name shown in errors and kept as {@link RuleFile#path()}
   */
  public LoadResult load(String name, String content) {
    YamlDecoder.Decoded decoded = YamlDecoder.decode(content);
    List<String> errors = new ArrayList<>();
    if (decoded.file() == null) {
      decoded.errors().forEach(e -> errors.add(name + ": " + e));
      return new LoadResult.Failed(errors);
    }
    RuleValidator.validate(decoded.file(), exprValidator).forEach(e -> errors.add(name + ": " + e));
    if (!errors.isEmpty()) {
      return new LoadResult.Failed(errors);
    }
    return new LoadResult.Loaded(toModel(name, decoded.file()));
  }

  private static RuleFile toModel(String name, RawRuleFile raw) {
    List<RuleGroup> groups = new ArrayList<>();
    for (Group g : raw.groups()) {
      List<Rule> rules = new ArrayList<>();
      for (RawRule r : g.rules()) {
        if (!r.record().value().isEmpty()) {
          rules.add(new Rule.RecordingRule(r.record().value(), r.expr().value(), r.labels(),
              r.record().position()));
        } else {
          rules.add(new Rule.AlertingRule(r.alert().value(), r.expr().value(),
              Duration.ofMillis(r.forMillis()), Duration.ofMillis(r.keepFiringForMillis()),
              r.labels(), r.annotations(), r.alert().position()));
        }
      }
      groups.add(new RuleGroup(g.name(),
          g.intervalMillis() == null ? null : Duration.ofMillis(g.intervalMillis()),
          g.queryOffsetMillis() == null ? null : Duration.ofMillis(g.queryOffsetMillis()),
          (int) g.limit(), g.labels(), rules, g.position()));
    }
    return new RuleFile(name, groups);
  }
}
