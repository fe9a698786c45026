package dev.vigil.collector.relabel;

import java.util.List;
import java.util.Objects;

/**
 * One relabelling rule, validated on construction exactly as Prometheus's
 * {@code relabel.Config.Validate} (same checks, same order, same messages).
 *
 * <p>{@code modulus} is an unsigned 64-bit value (Go's {@code uint64}); {@code action} null means
 * "missing" and is rejected with {@code relabel action cannot be empty}. Prometheus also rejects
 * an explicit empty {@code source_labels: []} for labeldrop/labelkeep; here only a non-empty list
 * is rejected, since an empty list and an absent one behave the same.
 */
public record RelabelConfig(
    List<String> sourceLabels,
    String separator,
    RelabelRegex regex,
    long modulus,
    String targetLabel,
    String replacement,
    Action action,
    NameValidation nameValidation) {

  public static final String DEFAULT_SEPARATOR = ";";
  public static final String DEFAULT_REPLACEMENT = "$1";

  public RelabelConfig {
    sourceLabels = List.copyOf(sourceLabels);
    Objects.requireNonNull(separator, "separator");
    Objects.requireNonNull(regex, "regex");
    Objects.requireNonNull(targetLabel, "targetLabel");
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(nameValidation, "nameValidation");
    validate(sourceLabels, separator, regex, modulus, targetLabel, replacement, action, nameValidation);
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void validate(
      List<String> sourceLabels,
      String separator,
      RelabelRegex regex,
      long modulus,
      String target,
      String replacement,
      Action action,
      NameValidation scheme) {
    if (action == null) {
      throw fail("relabel action cannot be empty");
    }
    if (modulus == 0 && action == Action.HASHMOD) {
      throw fail("relabel configuration for hashmod requires non-zero modulus");
    }
    boolean needsTarget =
        switch (action) {
          case REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> true;
          default -> false;
        };
    if (needsTarget && target.isEmpty()) {
      throw fail("relabel configuration for " + action + " action requires 'target_label' value");
    }
    boolean hasVar = target.indexOf('$') >= 0;
    if (action == Action.REPLACE && !hasVar && !scheme.isValidLabelName(target)) {
      throw invalidTarget(target, action);
    }
    if (action == Action.REPLACE && hasVar && !isValidNameWithVars(target, scheme)) {
      throw invalidTarget(target, action);
    }
    boolean caseOrEqual =
        switch (action) {
          case LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> true;
          default -> false;
        };
    if (caseOrEqual && !scheme.isValidLabelName(target)) {
      throw invalidTarget(target, action);
    }
    if (caseOrEqual && !replacement.equals(DEFAULT_REPLACEMENT)) {
      throw fail("'replacement' can not be set for " + action + " action");
    }
    if (action == Action.LABELMAP && !isValidNameWithVars(replacement, scheme)) {
      throw fail(GoQuote.quote(replacement) + " is invalid 'replacement' for " + action + " action");
    }
    if (action == Action.HASHMOD && !scheme.isValidLabelName(target)) {
      throw invalidTarget(target, action);
    }
    if ((action == Action.DROPEQUAL || action == Action.KEEPEQUAL)
        && (regex != RelabelRegex.DEFAULT
            || modulus != 0
            || !separator.equals(DEFAULT_SEPARATOR)
            || !replacement.equals(DEFAULT_REPLACEMENT))) {
      // The backticks are Prometheus's typo, kept so the message is identical.
      throw fail(action + " action requires only 'source_labels' and `target_label`, and no other fields");
    }
    if ((action == Action.LABELDROP || action == Action.LABELKEEP)
        && (!sourceLabels.isEmpty()
            || !target.isEmpty()
            || modulus != 0
            || !separator.equals(DEFAULT_SEPARATOR)
            || !replacement.equals(DEFAULT_REPLACEMENT))) {
      throw fail(action + " action requires only 'regex', and no other fields");
    }
  }

  private static boolean isValidNameWithVars(String value, NameValidation scheme) {
    // UTF-8 names may contain '$' and braces, so any valid name passes; legacy needs the grammar.
    return scheme == NameValidation.UTF8
        ? scheme.isValidLabelName(value)
        : NameValidation.isLegacyTemplate(value);
  }

  private static InvalidRelabelConfigException invalidTarget(String target, Action action) {
    return fail(GoQuote.quote(target) + " is invalid 'target_label' for " + action + " action");
  }

  private static InvalidRelabelConfigException fail(String message) {
    return new InvalidRelabelConfigException(message);
  }

  /** Starts from Prometheus's defaults: replace, separator ";", regex (.*), replacement $1. */
  public static final class Builder {
    private List<String> sourceLabels = List.of();
    private String separator = DEFAULT_SEPARATOR;
    private RelabelRegex regex = RelabelRegex.DEFAULT;
    private long modulus;
    private String targetLabel = "";
    private String replacement = DEFAULT_REPLACEMENT;
    private Action action = Action.REPLACE;
    private NameValidation nameValidation = NameValidation.UTF8;

    Builder() {}

    public Builder sourceLabels(String... names) {
      this.sourceLabels = List.of(names);
      return this;
    }

    public Builder sourceLabels(List<String> names) {
      this.sourceLabels = names;
      return this;
    }

    public Builder separator(String separator) {
      this.separator = separator;
      return this;
    }

    public Builder regex(String regex) {
      this.regex = RelabelRegex.compile(regex);
      return this;
    }

    public Builder regex(RelabelRegex regex) {
      this.regex = regex;
      return this;
    }

    public Builder modulus(long modulus) {
      this.modulus = modulus;
      return this;
    }

    public Builder targetLabel(String targetLabel) {
      this.targetLabel = targetLabel;
      return this;
    }

    public Builder replacement(String replacement) {
      this.replacement = replacement;
      return this;
    }

    /** Null models a missing action (which validation rejects). */
    public Builder action(Action action) {
      this.action = action;
      return this;
    }

    public Builder nameValidation(NameValidation nameValidation) {
      this.nameValidation = nameValidation;
      return this;
    }

    public RelabelConfig build() {
      return new RelabelConfig(
          sourceLabels, separator, regex, modulus, targetLabel, replacement, action, nameValidation);
    }
  }
}
