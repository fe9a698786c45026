package dev.vigil.promql.engine;

import dev.vigil.model.labels.Labels;
import dev.vigil.promql.functions.GoFormat;
import dev.vigil.promql.parser.Call;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.ParenExpr;
import dev.vigil.promql.parser.StringLiteral;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Functions that rewrite series labels once per series rather than per step: label_replace,
 * label_join, and info (the experimental enrichment with info metrics).
 */
final class LabelFunctions {
  private LabelFunctions() {}

  private static String str(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return ((StringLiteral) e).value();
  }

  static List<SeriesPoints> labelReplace(Evaluator ev, Call c) {
    List<Expr> a = c.args();
    String dst = str(a.get(1));
    String repl = str(a.get(2));
    String src = str(a.get(3));
    String regex = str(a.get(4));
    Pattern p;
    try {
      p = Pattern.compile("^(?s:" + regex + ")$");
    } catch (PatternSyntaxException ex) {
      throw new QueryException("invalid regular expression in label_replace(): " + regex);
    }
    if (!GoFormat.isValidLabelName(dst)) {
      throw new QueryException("invalid destination label name in label_replace(): " + dst);
    }
    List<SeriesPoints> mat = ev.eval(a.get(0));
    for (SeriesPoints s : mat) {
      String v = s.labels.get(src);
      Matcher m = p.matcher(v);
      if (m.matches()) {
        String res = expand(repl, m);
        s.labels = s.labels.toBuilder().set(dst, res).build();
        if (dst.equals(Labels.METRIC_NAME)) {
          s.dropName = false;
        }
      }
    }
    return ev.mergeSameLabels(mat);
  }

  /**
   * Go's regexp Expand: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}; a
   * reference is the longest run of letters, digits and underscores, and an unknown group
   * expands to nothing.
   */
  static String expand(String template, Matcher m) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char ch = template.charAt(i);
      if (ch != '$' || i + 1 >= template.length()) {
        sb.append(ch);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int endIdx;
      if (next == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          sb.append(ch);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        endIdx = close + 1;
        if (name.isEmpty() || !isWordRun(name)) {
          sb.append(ch);
          i++;
          continue;
        }
      } else {
        int j = i + 1;
        while (j < template.length() && isWordChar(template.charAt(j))) {
          j++;
        }
        if (j == i + 1) {
          sb.append(ch);
          i++;
          continue;
        }
        name = template.substring(i + 1, j);
        endIdx = j;
      }
      sb.append(group(m, name));
      i = endIdx;
    }
    return sb.toString();
  }

  private static boolean isWordChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static boolean isWordRun(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isWordChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static String group(Matcher m, String name) {
    boolean numeric = true;
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        numeric = false;
        break;
      }
    }
    try {
      String g;
      if (numeric) {
        int idx = Integer.parseInt(name);
        if (idx > m.groupCount()) {
          return "";
        }
        g = m.group(idx);
      } else {
        g = m.group(name);
      }
      return g == null ? "" : g;
    } catch (IllegalArgumentException | IndexOutOfBoundsException ex) {
      return "";
    }
  }

  static List<SeriesPoints> labelJoin(Evaluator ev, Call c) {
    List<Expr> a = c.args();
    String dst = str(a.get(1));
    String sep = str(a.get(2));
    String[] srcs = new String[a.size() - 3];
    for (int i = 3; i < a.size(); i++) {
      srcs[i - 3] = str(a.get(i));
      if (!GoFormat.isValidLabelName(srcs[i - 3])) {
        throw new QueryException("invalid source label name in label_join(): " + srcs[i - 3]);
      }
    }
    if (!GoFormat.isValidLabelName(dst)) {
      throw new QueryException("invalid destination label name in label_join(): " + dst);
    }
    List<SeriesPoints> mat = ev.eval(a.get(0));
    StringBuilder sb = new StringBuilder();
    for (SeriesPoints s : mat) {
      sb.setLength(0);
      for (int i = 0; i < srcs.length; i++) {
        if (i > 0) {
          sb.append(sep);
        }
        sb.append(s.labels.get(srcs[i]));
      }
      s.labels = s.labels.toBuilder().set(dst, sb.toString()).build();
      if (dst.equals(Labels.METRIC_NAME)) {
        s.dropName = false;
      }
    }
    return ev.mergeSameLabels(mat);
  }

  static List<SeriesPoints> info(Evaluator ev, Call c) {
    return new InfoFunction(ev, c).eval();
  }
}
