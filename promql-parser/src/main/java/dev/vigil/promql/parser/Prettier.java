package dev.vigil.promql.parser;

import java.nio.charset.StandardCharsets;

/**
 * Prometheus's {@code prettier.go}: a node whose one-line form exceeds 100 bytes is split, its
 * children one indentation level (two spaces) deeper; selectors and literals never split.
 */
final class Prettier {
  static final int MAX_CHARACTERS_PER_LINE = 100;

  private final int maxLine;

  private Prettier(int maxLine) {
    this.maxLine = maxLine;
  }

  static String pretty(Expr e) {
    return pretty(e, MAX_CHARACTERS_PER_LINE);
  }

  /** With another line limit; Prometheus's own tests use 10. */
  static String pretty(Expr e, int maxLine) {
    StringBuilder sb = new StringBuilder();
    new Prettier(maxLine).write(sb, e, 0);
    return sb.toString();
  }

  private boolean needsSplit(Expr e) {
    return Printer.print(e).getBytes(StandardCharsets.UTF_8).length > maxLine;
  }

  private static void indent(StringBuilder sb, int level) {
    sb.append("  ".repeat(level));
  }

  private void write(StringBuilder sb, Expr e, int level) {
    switch (e) {
      case AggregateExpr a -> {
        indent(sb, level);
        if (!needsSplit(a)) {
          Printer.write(sb, a);
          return;
        }
        Printer.writeAggregateHead(sb, a);
        sb.append("(\n");
        if (a.op().hasParam()) {
          write(sb, a.param(), level + 1);
          sb.append(",\n");
        }
        write(sb, a.expr(), level + 1);
        sb.append('\n');
        indent(sb, level);
        sb.append(')');
      }
      case BinaryExpr b -> {
        if (!needsSplit(b)) {
          indent(sb, level);
          Printer.write(sb, b);
          return;
        }
        // Prometheus indents the whole split binary expression by its own level only through
        // its operands, so nothing is written before the left-hand side.
        write(sb, b.lhs(), level + 1);
        sb.append('\n');
        indent(sb, level);
        Printer.writeBinaryOp(sb, b);
        sb.append('\n');
        write(sb, b.rhs(), level + 1);
      }
      case Call c -> {
        indent(sb, level);
        if (!needsSplit(c)) {
          Printer.write(sb, c);
          return;
        }
        sb.append(c.function().name()).append("(\n");
        for (int i = 0; i < c.args().size(); i++) {
          if (i > 0) {
            sb.append(",\n");
          }
          write(sb, c.args().get(i), level + 1);
        }
        sb.append('\n');
        indent(sb, level);
        sb.append(')');
      }
      case ParenExpr p -> {
        indent(sb, level);
        if (!needsSplit(p)) {
          Printer.write(sb, p);
          return;
        }
        sb.append("(\n");
        write(sb, p.expr(), level + 1);
        sb.append('\n');
        indent(sb, level);
        sb.append(')');
      }
      case SubqueryExpr s -> {
        if (!needsSplit(s)) {
          Printer.write(sb, s); // Prometheus adds no indentation here
          return;
        }
        write(sb, s.expr(), level);
        Printer.writeSubquerySuffix(sb, s);
      }
      case UnaryExpr u -> {
        StringBuilder child = new StringBuilder();
        write(child, u.expr(), level);
        indent(sb, level);
        sb.append(u.op().text()).append(child.toString().strip());
      }
      case DurationExpr d -> Printer.write(sb, d);
      case MatrixSelector m -> {
        indent(sb, level);
        Printer.write(sb, m);
      }
      case VectorSelector v -> {
        indent(sb, level);
        Printer.write(sb, v);
      }
      case NumberLiteral n -> {
        indent(sb, level);
        Printer.write(sb, n);
      }
      case StringLiteral s -> {
        indent(sb, level);
        Printer.write(sb, s);
      }
    }
  }
}
