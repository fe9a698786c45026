package dev.vigil.promql.parser;

import dev.vigil.model.labels.LabelStrings;
import dev.vigil.model.labels.Matcher;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Canonical PromQL text of an AST, character for character what Prometheus's {@code
 * Expr.String()} prints (and {@link #pretty} what {@code Pretty(0)} prints for
 * {@code /api/v1/format_query}). Parentheses come only from {@link ParenExpr} nodes, as in
 * Prometheus, so {@code parse(print(ast))} equals {@code ast} for every parsed tree.
 */
public final class Printer {
  private Printer() {}

  /** One-line canonical form. */
  public static String print(Expr e) {
    StringBuilder sb = new StringBuilder();
    write(sb, e);
    return sb.toString();
  }

  static void write(StringBuilder sb, Expr e) {
    switch (e) {
      case AggregateExpr a -> {
        writeAggregateHead(sb, a);
        sb.append('(');
        if (a.op().hasParam()) {
          write(sb, a.param());
          sb.append(", ");
        }
        write(sb, a.expr());
        sb.append(')');
      }
      case BinaryExpr b -> {
        if (b.op() == BinaryOp.POW && b.lhs() instanceof NumberLiteral n && !n.duration()
            && n.value() == Double.POSITIVE_INFINITY) {
          // "+Inf ^ x" would read back as +(Inf ^ x): unary signs bind looser than ^.
          sb.append("Inf");
        } else {
          write(sb, b.lhs());
        }
        sb.append(' ');
        writeBinaryOp(sb, b);
        sb.append(' ');
        write(sb, b.rhs());
      }
      case Call c -> {
        sb.append(c.function().name()).append('(');
        for (int i = 0; i < c.args().size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          write(sb, c.args().get(i));
        }
        sb.append(')');
      }
      case DurationExpr d -> writeDuration(sb, d);
      case MatrixSelector m -> {
        VectorSelector vs = m.vectorSelector();
        writeSelectorCore(sb, vs);
        sb.append('[');
        writeDurationPosition(sb, m.range());
        sb.append(']');
        writeExtended(sb, vs);
        writeAt(sb, vs.at());
        writeOffset(sb, vs.offset());
      }
      case NumberLiteral n -> {
        if (n.duration()) {
          sb.append(Literals.formatDurationSeconds(n.value()));
        } else {
          sb.append(Literals.formatFloat(n.value()));
        }
      }
      case ParenExpr p -> {
        sb.append('(');
        write(sb, p.expr());
        sb.append(')');
      }
      case StringLiteral s -> sb.append(GoStrings.quote(s.value()));
      case SubqueryExpr s -> {
        write(sb, s.expr());
        writeSubquerySuffix(sb, s);
      }
      case UnaryExpr u -> {
        sb.append(u.op().text());
        write(sb, u.expr());
      }
      case VectorSelector v -> {
        writeSelectorCore(sb, v);
        writeAt(sb, v.at());
        writeExtended(sb, v);
        writeOffset(sb, v.offset());
      }
    }
  }

  static void writeAggregateHead(StringBuilder sb, AggregateExpr a) {
    sb.append(a.op().text());
    if (a.without()) {
      sb.append(" without (");
      writeLabels(sb, a.grouping());
      sb.append(") ");
    } else if (!a.grouping().isEmpty()) {
      sb.append(" by (");
      writeLabels(sb, a.grouping());
      sb.append(") ");
    }
  }

  /** The operator with bool, matching, grouping and fill modifiers, e.g. {@code + on (a)}. */
  static void writeBinaryOp(StringBuilder sb, BinaryExpr b) {
    sb.append(b.op().text());
    if (b.returnBool()) {
      sb.append(" bool");
    }
    VectorMatching vm = b.matching();
    if (vm == null) {
      return;
    }
    boolean grouped = vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
        || vm.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY;
    if (!vm.matchingLabels().isEmpty() || vm.on() || grouped) {
      sb.append(vm.on() ? " on (" : " ignoring (");
      writeLabels(sb, vm.matchingLabels());
      sb.append(')');
    }
    if (grouped) {
      sb.append(vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
          ? " group_left (" : " group_right (");
      writeLabels(sb, vm.include());
      sb.append(')');
    }
    Double fl = vm.fillLeft();
    Double fr = vm.fillRight();
    // Go compares the float values, so fill(NaN) prints as fill_left (NaN) fill_right (NaN).
    if (fl != null && fr != null && fl.doubleValue() == fr.doubleValue()) {
      sb.append(" fill (").append(Literals.formatFloatV(fl)).append(')');
    } else {
      if (fl != null) {
        sb.append(" fill_left (").append(Literals.formatFloatV(fl)).append(')');
      }
      if (fr != null) {
        sb.append(" fill_right (").append(Literals.formatFloatV(fr)).append(')');
      }
    }
  }

  static void writeLabels(StringBuilder sb, List<String> labels) {
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      String l = labels.get(i);
      if (LabelStrings.isValidLegacyLabelName(l)) {
        sb.append(l);
      } else {
        sb.append(GoStrings.quote(l));
      }
    }
  }

  private static void writeDuration(StringBuilder sb, DurationExpr d) {
    if (d.wrapped()) {
      sb.append('(');
    }
    switch (d.op()) {
      case STEP -> sb.append("step()");
      case RANGE -> sb.append("range()");
      case MIN_OF, MAX_OF -> {
        sb.append(d.op() == DurationExpr.Op.MIN_OF ? "min_of(" : "max_of(");
        write(sb, d.lhs());
        sb.append(", ");
        write(sb, d.rhs());
        sb.append(')');
      }
      case NEG -> {
        sb.append('-');
        write(sb, d.lhs());
      }
      case POS -> write(sb, d.lhs());
      case ADD, SUB, MUL, DIV, MOD, POW -> {
        write(sb, d.lhs());
        sb.append(' ').append(durationOpText(d.op())).append(' ');
        write(sb, d.rhs());
      }
    }
    if (d.wrapped()) {
      sb.append(')');
    }
  }

  private static String durationOpText(DurationExpr.Op op) {
    return switch (op) {
      case ADD -> "+";
      case SUB -> "-";
      case MUL -> "*";
      case DIV -> "/";
      case MOD -> "%";
      case POW -> "^";
      default -> throw new IllegalStateException("not a binary duration operator: " + op);
    };
  }

  /** A range, step or offset: literals always as durations ({@code [5]} prints {@code [5s]}). */
  static void writeDurationPosition(StringBuilder sb, Expr d) {
    if (d instanceof NumberLiteral n) {
      sb.append(Literals.formatDurationSeconds(n.value()));
    } else {
      write(sb, d);
    }
  }

  static void writeSubquerySuffix(StringBuilder sb, SubqueryExpr s) {
    sb.append('[');
    writeDurationPosition(sb, s.range());
    sb.append(':');
    if (s.step() != null) {
      writeDurationPosition(sb, s.step());
    }
    sb.append(']');
    writeAt(sb, s.at());
    writeOffset(sb, s.offset());
  }

  /** Name and sorted matchers, without the matcher the written name stands for. */
  static void writeSelectorCore(StringBuilder sb, VectorSelector v) {
    List<String> parts = new ArrayList<>();
    for (Matcher m : v.matchers()) {
      if (m.name().equals("__name__") && m.type() == dev.vigil.model.labels.MatchType.EQUAL
          && m.value().equals(v.name()) && !m.value().isEmpty()) {
        continue;
      }
      parts.add(matcherString(m));
    }
    if (v.name() != null) {
      sb.append(v.name());
    }
    if (!parts.isEmpty()) {
      String[] sorted = parts.toArray(new String[0]);
      // Go sorts strings bytewise, i.e. by UTF-8, not by UTF-16 code units.
      Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(
          a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
      sb.append('{').append(String.join(",", sorted)).append('}');
    }
  }

  static String matcherString(Matcher m) {
    String name = LabelStrings.isValidLegacyLabelName(m.name())
        ? m.name() : GoStrings.quote(m.name());
    return name + m.type().operator() + GoStrings.quote(m.value());
  }

  static void writeExtended(StringBuilder sb, VectorSelector v) {
    if (v.anchored()) {
      sb.append(" anchored");
    } else if (v.smoothed()) {
      sb.append(" smoothed");
    }
  }

  static void writeAt(StringBuilder sb, AtModifier at) {
    if (at == null) {
      return;
    }
    switch (at.kind()) {
      case START -> sb.append(" @ start()");
      case END -> sb.append(" @ end()");
      case TIMESTAMP -> sb.append(" @ ")
          .append(BigDecimal.valueOf(at.timestampMillis()).movePointLeft(3).setScale(3)
              .toPlainString());
    }
  }

  static void writeOffset(StringBuilder sb, Expr offset) {
    if (offset == null) {
      return;
    }
    if (offset instanceof NumberLiteral n && n.value() == 0) {
      return; // Prometheus prints no zero offset
    }
    sb.append(" offset ");
    writeDurationPosition(sb, offset);
  }

  /**
   * Multi-line form of Prometheus's {@code Pretty(0)}: expressions longer than 100 characters
   * are split, one level of two-space indentation per nesting.
   */
  public static String pretty(Expr e) {
    return Prettier.pretty(e);
  }
}
