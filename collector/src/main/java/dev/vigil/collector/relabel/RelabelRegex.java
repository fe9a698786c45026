package dev.vigil.collector.relabel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A relabelling regex: fully anchored and with {@code .} matching newlines, like Prometheus's
 * {@code ^(?s:RE)$}, written in Go's RE2 syntax and run on {@link java.util.regex}.
 *
 * <p>The Go syntax is translated, not passed through: named groups ({@code (?P<n>…)} and
 * {@code (?<n>…)}) become plain groups whose names we track ourselves, because Java forbids
 * {@code _} in group names and Go's {@code $name} expansion needs them; inside brackets
 * {@code [} and {@code &} are escaped (literals in Go, set operators in Java) and POSIX classes
 * such as {@code [:alpha:]} become {@code \p{Alpha}}. Java accepts some syntax RE2 rejects
 * (back-references, look-around); such patterns work here and would fail in Prometheus.
 *
 * <p>Identity matters: {@link #DEFAULT} is the regex of a rule without {@code regex:}, and, as in
 * Prometheus, an explicit {@code regex: (.*)} is a different instance (keepequal/dropequal
 * reject it; the replace fast path only applies to the default).
 */
public final class RelabelRegex {
  /** The default {@code (.*)}. */
  public static final RelabelRegex DEFAULT = compile("(.*)");

  private final String source;
  private final Pattern pattern;
  // Group index -> Go name ("" when unnamed); index 0 is the whole match.
  private final String[] groupNames;

  private RelabelRegex(String source, Pattern pattern, String[] groupNames) {
    this.source = source;
    this.pattern = pattern;
    this.groupNames = groupNames;
  }

  /**
   * Compiles a Go-syntax regex, anchored at both ends.
   *
   * @throws InvalidRelabelConfigException {@code error parsing regexp: ...} naming the pattern
   */
  public static RelabelRegex compile(String source) {
    List<String> names = new ArrayList<>();
    names.add("");
    String translated = translate(source, names);
    try {
      Pattern p = Pattern.compile("(?s:" + translated + ")");
      return new RelabelRegex(source, p, names.toArray(new String[0]));
    } catch (PatternSyntaxException e) {
      throw new InvalidRelabelConfigException(
          "error parsing regexp: " + e.getDescription() + ": `" + source + "`");
    }
  }

  /** The pattern as written in the configuration (without the anchors). */
  public String source() {
    return source;
  }

  /** Two regexes are equal when written the same (configs compare equal across reloads). */
  @Override
  public boolean equals(Object o) {
    return o instanceof RelabelRegex r && r.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  /** Whether the whole of {@code s} matches. */
  public boolean matches(CharSequence s) {
    return pattern.matcher(s).matches();
  }

  /** A matcher on {@code s} after a successful {@link Matcher#matches()}, or null. */
  Matcher matchOrNull(CharSequence s) {
    Matcher m = pattern.matcher(s);
    return m.matches() ? m : null;
  }

  /**
   * Expands {@code template} with the groups of a successful match, with Go's
   * {@code Regexp.Expand} rules: {@code $$} is a dollar; {@code $name} takes the longest run of
   * letters, digits and underscores (so {@code $1x} is the group named {@code 1x}, usually
   * empty); {@code ${name}} delimits it; numbers with a leading zero are names; unknown or
   * unmatched groups expand to nothing; a malformed reference is copied literally.
   */
  String expand(String template, Matcher m) {
    int dollar = template.indexOf('$');
    if (dollar < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 16);
    int i = 0;
    int n = template.length();
    while (dollar >= 0) {
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < n && template.charAt(i) == '$') {
        out.append('$');
        i++;
      } else {
        boolean brace = i < n && template.charAt(i) == '{';
        int nameStart = brace ? i + 1 : i;
        int j = nameStart;
        while (j < n) {
          int cp = template.codePointAt(j);
          if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
            break;
          }
          j += Character.charCount(cp);
        }
        boolean ok = j > nameStart && (!brace || (j < n && template.charAt(j) == '}'));
        if (!ok) {
          out.append('$');
        } else {
          appendGroup(out, m, template, nameStart, j);
          i = brace ? j + 1 : j;
        }
      }
      dollar = template.indexOf('$', i);
    }
    out.append(template, i, n);
    return out.toString();
  }

  private void appendGroup(StringBuilder out, Matcher m, String t, int from, int to) {
    int num = 0;
    for (int k = from; k < to; k++) {
      char c = t.charAt(k);
      if (c < '0' || c > '9' || num >= 100_000_000) {
        num = -1;
        break;
      }
      num = num * 10 + (c - '0');
    }
    if (t.charAt(from) == '0' && to - from > 1) {
      num = -1;
    }
    int group = -1;
    if (num >= 0) {
      group = num;
    } else {
      for (int g = 1; g < groupNames.length; g++) {
        if (groupNames[g].length() == to - from && t.startsWith(groupNames[g], from)) {
          group = g;
          break;
        }
      }
    }
    if (group >= 0 && group <= m.groupCount()) {
      int s = m.start(group);
      if (s >= 0) {
        out.append(m.group(group));
      }
    }
  }

  // Go RE2 syntax -> java.util.regex syntax; collects group names in order (see class comment).
  private static String translate(String re, List<String> names) {
    StringBuilder sb = new StringBuilder(re.length() + 8);
    int n = re.length();
    int i = 0;
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && re.charAt(i + 1) == 'Q') {
          int end = re.indexOf("\\E", i + 2);
          int stop = end < 0 ? n : end + 2;
          sb.append(re, i, stop);
          i = stop;
          continue;
        }
        sb.append(c);
        if (i + 1 < n) {
          sb.append(re.charAt(i + 1));
        }
        i += 2;
      } else if (c == '[') {
        i = translateClass(re, i, sb);
      } else if (c == '(') {
        if (i + 1 < n && re.charAt(i + 1) == '?') {
          int nameStart = -1;
          if (re.startsWith("(?P<", i)) {
            nameStart = i + 4;
          } else if (re.startsWith("(?<", i) && i + 3 < n && re.charAt(i + 3) != '=' && re.charAt(i + 3) != '!') {
            nameStart = i + 3;
          }
          if (nameStart >= 0) {
            int close = re.indexOf('>', nameStart);
            if (close < 0) {
              throw new InvalidRelabelConfigException(
                  "error parsing regexp: invalid named capture: `" + re.substring(i) + "`");
            }
            String name = re.substring(nameStart, close);
            if (name.isEmpty() || names.contains(name)) {
              throw new InvalidRelabelConfigException(
                  (name.isEmpty() ? "error parsing regexp: invalid named capture: `"
                      : "error parsing regexp: duplicate capture group name: `")
                      + re.substring(i, close + 1) + "`");
            }
            names.add(name);
            sb.append('(');
            i = close + 1;
          } else {
            sb.append("(?");
            i += 2;
          }
        } else {
          names.add("");
          sb.append('(');
          i++;
        }
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  private static int translateClass(String re, int start, StringBuilder sb) {
    int n = re.length();
    int i = start + 1;
    sb.append('[');
    if (i < n && re.charAt(i) == '^') {
      sb.append('^');
      i++;
    }
    // A ']' first in the class is a literal in both dialects.
    if (i < n && re.charAt(i) == ']') {
      sb.append("\\]");
      i++;
    }
    while (i < n) {
      char c = re.charAt(i);
      if (c == ']') {
        sb.append(']');
        return i + 1;
      } else if (c == '\\') {
        sb.append(c);
        if (i + 1 < n) {
          sb.append(re.charAt(i + 1));
        }
        i += 2;
      } else if (c == '[' && i + 1 < n && re.charAt(i + 1) == ':') {
        int end = re.indexOf(":]", i + 2);
        if (end < 0) {
          sb.append("\\[");
          i++;
          continue;
        }
        String cls = re.substring(i + 2, end);
        boolean negate = cls.startsWith("^");
        String base = negate ? cls.substring(1) : cls;
        String javaName = posixClass(base);
        if (base.equals("word")) {
          sb.append(negate ? "\\W" : "\\w");
          i = end + 2;
          continue;
        }
        if (javaName == null) {
          throw new InvalidRelabelConfigException(
              "error parsing regexp: invalid character class range: `" + re.substring(i, end + 2) + "`");
        }
        sb.append(negate ? "\\P{" : "\\p{").append(javaName).append('}');
        i = end + 2;
      } else if (c == '[' || c == '&') {
        sb.append('\\').append(c);
        i++;
      } else {
        sb.append(c);
        i++;
      }
    }
    // Unterminated: leave it to Pattern to report.
    return i;
  }

  private static String posixClass(String name) {
    return switch (name) {
      case "alnum" -> "Alnum";
      case "alpha" -> "Alpha";
      case "ascii" -> "ASCII";
      case "blank" -> "Blank";
      case "cntrl" -> "Cntrl";
      case "digit" -> "Digit";
      case "graph" -> "Graph";
      case "lower" -> "Lower";
      case "print" -> "Print";
      case "punct" -> "Punct";
      case "space" -> "Space";
      case "upper" -> "Upper";
      case "xdigit" -> "XDigit";
      default -> null;
    };
  }

  @Override
  public String toString() {
    return source;
  }
}
