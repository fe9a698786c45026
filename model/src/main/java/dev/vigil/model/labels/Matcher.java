package dev.vigil.model.labels;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher: {@code name op "value"}. Regular expressions are fully anchored and {@code .}
 * matches newlines too, as in Prometheus 3. A missing label matches as the empty string.
 *
 * <p>Regexes that are plain literals, alternations of literals, {@code .*} or {@code .+} are
 * answered without the regex engine: they are what selectors use most.
 */
public final class Matcher {
  private final MatchType type;
  private final String name;
  private final String value;
  private final Pattern pattern; // null unless a regex that needs the engine
  private final Set<String> literals; // non-null when the regex is an alternation of literals
  private final int special; // 0 none, 1 = ".*", 2 = ".+"

  private Matcher(MatchType type, String name, String value) {
    this.type = Objects.requireNonNull(type);
    this.name = Objects.requireNonNull(name);
    this.value = Objects.requireNonNull(value);
    if (type == MatchType.REGEX || type == MatchType.NOT_REGEX) {
      Set<String> lits = literalAlternation(value);
      if (value.equals(".*")) {
        special = 1;
        literals = null;
        pattern = null;
      } else if (value.equals(".+")) {
        special = 2;
        literals = null;
        pattern = null;
      } else if (lits != null) {
        special = 0;
        literals = lits;
        pattern = null;
      } else {
        special = 0;
        literals = null;
        pattern = Pattern.compile("(?s:" + value + ")");
      }
    } else {
      special = 0;
      literals = null;
      pattern = null;
    }
  }

  /**
   * Creates a matcher.
   *
   * @throws IllegalArgumentException for a regular expression that does not compile; the message
   *     names the expression and the problem
   */
  public static Matcher of(MatchType type, String name, String value) {
    try {
      return new Matcher(type, name, value);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid regular expression " + LabelStrings.quote(value) + ": " + e.getDescription(), e);
    }
  }

  public static Matcher equal(String name, String value) {
    return new Matcher(MatchType.EQUAL, name, value);
  }

  public MatchType type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  /** Whether a label value (the empty string for a missing label) satisfies this matcher. */
  public boolean matches(String v) {
    return switch (type) {
      case EQUAL -> value.equals(v);
      case NOT_EQUAL -> !value.equals(v);
      case REGEX -> regexMatches(v);
      case NOT_REGEX -> !regexMatches(v);
    };
  }

  /** Whether this matcher accepts the empty string, i.e. series without the label. */
  public boolean matchesEmpty() {
    return matches("");
  }

  /** For a regex that is a set of literals, the literals; null otherwise. */
  public Set<String> setMatches() {
    return literals;
  }

  private boolean regexMatches(String v) {
    if (special == 1) {
      return true;
    }
    if (special == 2) {
      return !v.isEmpty();
    }
    if (literals != null) {
      return literals.contains(v);
    }
    return pattern.matcher(v).matches();
  }

  /** The literals of {@code a|b|c} when no alternative has a regex metacharacter; else null. */
  private static Set<String> literalAlternation(String re) {
    Set<String> out = new HashSet<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '|') {
        out.add(cur.toString());
        cur.setLength(0);
      } else if (c == '\\' && i + 1 < re.length() && isEscapablePunct(re.charAt(i + 1))) {
        cur.append(re.charAt(++i));
      } else if ("\\.+*?()[]{}^$".indexOf(c) >= 0) {
        return null;
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static boolean isEscapablePunct(char c) {
    return "\\.+*?()[]{}^$|-/".indexOf(c) >= 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  /** {@code name="value"} with the operator and Go-style quoting, as PromQL prints it. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (LabelStrings.isValidLegacyLabelName(name)) {
      sb.append(name);
    } else {
      LabelStrings.appendQuoted(sb, name);
    }
    sb.append(type.operator());
    LabelStrings.appendQuoted(sb, value);
    return sb.toString();
  }
}
