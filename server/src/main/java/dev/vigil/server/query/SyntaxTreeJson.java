package dev.vigil.server.query;

import dev.vigil.model.labels.Matcher;
import dev.vigil.promql.parser.AggregateExpr;
import dev.vigil.promql.parser.AtModifier;
import dev.vigil.promql.parser.BinaryExpr;
import dev.vigil.promql.parser.Call;
import dev.vigil.promql.parser.DurationExpr;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.MatrixSelector;
import dev.vigil.promql.parser.NumberLiteral;
import dev.vigil.promql.parser.ParenExpr;
import dev.vigil.promql.parser.StringLiteral;
import dev.vigil.promql.parser.SubqueryExpr;
import dev.vigil.promql.parser.UnaryExpr;
import dev.vigil.promql.parser.ValueType;
import dev.vigil.promql.parser.VectorMatching;
import dev.vigil.promql.parser.VectorSelector;
import dev.vigil.server.api.JsonWriter;
import java.math.BigDecimal;
import java.util.List;

/**
 * The parse_query tree in the shape of Prometheus's {@code translateAST} (the UI's tree view).
 * Keys are written in alphabetical order because Go encodes those maps sorted.
 */
final class SyntaxTreeJson {
  private SyntaxTreeJson() {}

  static void write(Expr e, JsonWriter w) {
    if (e == null) {
      w.nullValue();
      return;
    }
    switch (e) {
      case AggregateExpr a -> {
        w.beginObject().name("expr");
        write(a.expr(), w);
        w.name("grouping");
        strings(a.grouping(), w);
        w.name("op").value(a.op().text()).name("param");
        write(a.param(), w);
        w.name("type").value("aggregation").name("without").value(a.without()).endObject();
      }
      case BinaryExpr b -> {
        w.beginObject().name("bool").value(b.returnBool()).name("lhs");
        write(b.lhs(), w);
        w.name("matching");
        matching(b.matching(), w);
        w.name("op").value(b.op().text()).name("rhs");
        write(b.rhs(), w);
        w.name("type").value("binaryExpr").endObject();
      }
      case Call c -> {
        w.beginObject().name("args").beginArray();
        for (Expr arg : c.args()) {
          write(arg, w);
        }
        w.endArray().name("func").beginObject().name("argTypes").beginArray();
        for (ValueType t : c.function().argTypes()) {
          w.value(typeName(t));
        }
        w.endArray().name("name").value(c.function().name())
            .name("returnType").value(typeName(c.function().returnType()))
            .name("variadic").value(c.function().variadic()).endObject()
            .name("type").value("call").endObject();
      }
      case MatrixSelector m -> {
        VectorSelector vs = m.vectorSelector();
        w.beginObject().name("anchored").value(vs.anchored()).name("matchers");
        matchers(vs.matchers(), w);
        w.name("name").value(vs.name()).name("offset").value(millis(vs.offset()))
            .name("range").value(millis(m.range())).name("smoothed").value(vs.smoothed())
            .name("startOrEnd");
        startOrEnd(vs.at(), w);
        w.name("timestamp");
        timestamp(vs.at(), w);
        w.name("type").value("matrixSelector").endObject();
      }
      case SubqueryExpr s -> {
        w.beginObject().name("alignEvalTime").value(false).name("expr");
        write(s.expr(), w);
        w.name("offset").value(millis(s.offset())).name("range").value(millis(s.range()))
            .name("startOrEnd");
        startOrEnd(s.at(), w);
        w.name("step").value(millis(s.step())).name("timestamp");
        timestamp(s.at(), w);
        w.name("type").value("subquery").endObject();
      }
      case NumberLiteral n -> w.beginObject().name("type").value("numberLiteral")
          .name("val").value(plain(n.value())).endObject();
      case ParenExpr p -> {
        w.beginObject().name("expr");
        write(p.expr(), w);
        w.name("type").value("parenExpr").endObject();
      }
      case StringLiteral s -> w.beginObject().name("type").value("stringLiteral")
          .name("val").value(s.value()).endObject();
      case UnaryExpr u -> {
        w.beginObject().name("expr");
        write(u.expr(), w);
        w.name("op").value(u.op().text()).name("type").value("unaryExpr").endObject();
      }
      case VectorSelector vs -> {
        w.beginObject().name("anchored").value(vs.anchored()).name("matchers");
        matchers(vs.matchers(), w);
        w.name("name").value(vs.name()).name("offset").value(millis(vs.offset()))
            .name("smoothed").value(vs.smoothed()).name("startOrEnd");
        startOrEnd(vs.at(), w);
        w.name("timestamp");
        timestamp(vs.at(), w);
        w.name("type").value("vectorSelector").endObject();
      }
      // Prometheus's tree has no node for duration arithmetic; it is shown by its value.
      case DurationExpr d -> w.beginObject().name("type").value("numberLiteral")
          .name("val").value("0").endObject();
    }
  }

  private static void matching(VectorMatching m, JsonWriter w) {
    if (m == null) {
      w.nullValue();
      return;
    }
    String card = switch (m.cardinality()) {
      case ONE_TO_ONE -> "one-to-one";
      case MANY_TO_ONE -> "many-to-one";
      case ONE_TO_MANY -> "one-to-many";
      case MANY_TO_MANY -> "many-to-many";
    };
    w.beginObject().name("card").value(card).name("fillValues").beginObject().name("lhs");
    nullableNumber(m.fillLeft(), w);
    w.name("rhs");
    nullableNumber(m.fillRight(), w);
    w.endObject().name("include");
    strings(m.include(), w);
    w.name("labels");
    strings(m.matchingLabels(), w);
    w.name("on").value(m.on()).endObject();
  }

  private static void nullableNumber(Double d, JsonWriter w) {
    if (d == null) {
      w.nullValue();
    } else {
      w.raw(plain(d));
    }
  }

  private static void strings(List<String> l, JsonWriter w) {
    w.beginArray();
    for (String s : l) {
      w.value(s);
    }
    w.endArray();
  }

  private static void matchers(List<Matcher> ms, JsonWriter w) {
    w.beginArray();
    for (Matcher m : ms) {
      w.beginObject().name("name").value(m.name()).name("type").value(m.type().operator())
          .name("value").value(m.value()).endObject();
    }
    w.endArray();
  }

  private static void startOrEnd(AtModifier at, JsonWriter w) {
    if (at == null || at.kind() == AtModifier.Kind.TIMESTAMP) {
      w.nullValue();
    } else {
      w.value(at.kind() == AtModifier.Kind.START ? "start" : "end");
    }
  }

  private static void timestamp(AtModifier at, JsonWriter w) {
    if (at == null || at.kind() != AtModifier.Kind.TIMESTAMP) {
      w.nullValue();
    } else {
      w.value(at.timestampMillis());
    }
  }

  /** A duration expression (seconds) in milliseconds, 0 when absent or not a literal. */
  private static long millis(Expr e) {
    return e instanceof NumberLiteral n ? Math.round(n.value() * 1000) : 0;
  }

  private static String typeName(ValueType t) {
    return switch (t) {
      case SCALAR -> "scalar";
      case VECTOR -> "vector";
      case MATRIX -> "matrix";
      case STRING -> "string";
      case NONE -> "none";
    };
  }

  private static String plain(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == (long) v && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
