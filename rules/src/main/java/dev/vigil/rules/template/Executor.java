package dev.vigil.rules.template;

import dev.vigil.rules.template.Node.ActionNode;
import dev.vigil.rules.template.Node.Arg;
import dev.vigil.rules.template.Node.BoolNode;
import dev.vigil.rules.template.Node.BranchKind;
import dev.vigil.rules.template.Node.BranchNode;
import dev.vigil.rules.template.Node.BreakNode;
import dev.vigil.rules.template.Node.ChainNode;
import dev.vigil.rules.template.Node.CommandNode;
import dev.vigil.rules.template.Node.CommentNode;
import dev.vigil.rules.template.Node.ContinueNode;
import dev.vigil.rules.template.Node.DotNode;
import dev.vigil.rules.template.Node.ElseNode;
import dev.vigil.rules.template.Node.EndNode;
import dev.vigil.rules.template.Node.FieldNode;
import dev.vigil.rules.template.Node.IdentifierNode;
import dev.vigil.rules.template.Node.ListNode;
import dev.vigil.rules.template.Node.NilNode;
import dev.vigil.rules.template.Node.NumberNode;
import dev.vigil.rules.template.Node.PipeNode;
import dev.vigil.rules.template.Node.StringNode;
import dev.vigil.rules.template.Node.TemplateNode;
import dev.vigil.rules.template.Node.TextNode;
import dev.vigil.rules.template.Node.VariableNode;
import dev.vigil.rules.template.Value.BoolValue;
import dev.vigil.rules.template.Value.FloatValue;
import dev.vigil.rules.template.Value.FuncValue;
import dev.vigil.rules.template.Value.IntValue;
import dev.vigil.rules.template.Value.ListValue;
import dev.vigil.rules.template.Value.MapValue;
import dev.vigil.rules.template.Value.NilValue;
import dev.vigil.rules.template.Value.StringValue;
import dev.vigil.rules.template.Value.StructValue;
import dev.vigil.rules.template.Value.TimeValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Walks a parsed template the way Go's {@code text/template/exec.go} does, with
 * {@code missingkey=zero} (Prometheus's option). One instance per execution; not thread-safe.
 */
final class Executor {
  /**
   * Go allows 100000 nested template calls; a JVM thread stack does not, so Vigil stops earlier
   * with Go's message and its own limit.
   */
  static final int MAX_EXEC_DEPTH = 1000;

  /** Unwinds an execution with Go's fully formatted message. */
  static final class ExecFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExecFailure(String message) {
      super(message, null, false, false);
    }
  }

  private enum Flow { NORMAL, BREAK, CONTINUE }

  private record Var(String name, Value value) {}

  private final Template template;
  private final Map<String, TemplateFunction> functions;
  private final StringBuilder out = new StringBuilder();
  private List<Var> vars = new ArrayList<>();
  private String currentName;
  private @Nullable Node current;
  private int depth;

  Executor(Template template, Map<String, TemplateFunction> functions) {
    this.template = template;
    this.functions = functions;
    this.currentName = template.name();
  }

  String run(String name, ListNode root, Value data) {
    currentName = name;
    vars.add(new Var("$", data));
    walk(data, root);
    return out.toString();
  }

  // ---- errors -------------------------------------------------------------------------------

  private ExecFailure errorf(String message) {
    if (current == null) {
      return new ExecFailure("template: " + currentName + ": " + message);
    }
    String text = template.source();
    int pos = Math.min(current.pos(), text.length());
    String before = text.substring(0, pos);
    int nl = before.lastIndexOf('\n');
    int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
    // Go reports the byte offset within the line, counted from 0.
    int col = before.substring(nl + 1).getBytes(StandardCharsets.UTF_8).length;
    String context = current.toString();
    if (context.length() > 20) {
      context = context.substring(0, 20) + "...";
    }
    return new ExecFailure("template: " + template.name() + ":" + line + ":" + col
        + ": executing " + GoFmt.quote(currentName) + " at <" + context + ">: " + message);
  }

  private void at(Node node) {
    current = node;
  }

  // ---- walking ------------------------------------------------------------------------------

  private Flow walk(Value dot, Node node) {
    at(node);
    switch (node) {
      case ActionNode a -> {
        Value val = evalPipeline(dot, a.pipe());
        if (a.pipe().decl().isEmpty()) {
          printValue(a, val);
        }
      }
      case BreakNode b -> {
        return Flow.BREAK;
      }
      case ContinueNode c -> {
        return Flow.CONTINUE;
      }
      case CommentNode c -> { }
      case BranchNode b -> {
        return b.kind() == BranchKind.RANGE ? walkRange(dot, b) : walkIfOrWith(dot, b);
      }
      case ListNode l -> {
        for (Node n : l.nodes()) {
          Flow f = walk(dot, n);
          if (f != Flow.NORMAL) {
            return f;
          }
        }
      }
      case TemplateNode t -> walkTemplate(dot, t);
      case TextNode t -> out.append(t.text());
      case EndNode e -> throw new IllegalStateException("parser left {{end}} in tree");
      case ElseNode e -> throw new IllegalStateException("parser left {{else}} in tree");
      case PipeNode p -> throw new IllegalStateException("pipeline outside an action");
      case CommandNode c -> throw new IllegalStateException("command outside a pipeline");
      case Arg a -> throw new IllegalStateException("operand outside a command");
    }
    return Flow.NORMAL;
  }

  private Flow walkIfOrWith(Value dot, BranchNode b) {
    int mark = vars.size();
    try {
      Value val = evalPipeline(dot, b.pipe());
      if (Builtins.truth(val)) {
        return walk(b.kind() == BranchKind.WITH ? val : dot, b.list());
      } else if (b.elseList() != null) {
        return walk(dot, b.elseList());
      }
      return Flow.NORMAL;
    } finally {
      pop(mark);
    }
  }

  private Flow walkRange(Value dot, BranchNode r) {
    at(r);
    int outer = vars.size();
    try {
      Value val = evalPipeline(dot, r.pipe());
      int mark = vars.size();
      switch (val) {
        case ListValue l -> {
          if (!l.items().isEmpty()) {
            for (int i = 0; i < l.items().size(); i++) {
              if (oneIteration(r, mark, new IntValue(i), l.items().get(i)) == Flow.BREAK) {
                break;
              }
            }
            return Flow.NORMAL;
          }
        }
        case MapValue m -> {
          if (!m.entries().isEmpty()) {
            for (var e : m.entries().entrySet()) {
              if (oneIteration(r, mark, new StringValue(e.getKey()), e.getValue())
                  == Flow.BREAK) {
                break;
              }
            }
            return Flow.NORMAL;
          }
        }
        case IntValue n -> {
          if (r.pipe().decl().size() > 1) {
            throw errorf("can't use " + n.value() + " to iterate over more than one variable");
          }
          if (n.value() > 0) {
            for (long i = 0; i < n.value(); i++) {
              if (oneIteration(r, mark, new IntValue(i), new IntValue(i)) == Flow.BREAK) {
                break;
              }
            }
            return Flow.NORMAL;
          }
        }
        case NilValue n -> { }
        default -> throw errorf("range can't iterate over " + GoFmt.formatV(val, 0));
      }
      if (r.elseList() != null) {
        return walk(dot, r.elseList());
      }
      return Flow.NORMAL;
    } finally {
      pop(outer);
    }
  }

  private Flow oneIteration(BranchNode r, int mark, Value index, Value elem) {
    List<VariableNode> decl = r.pipe().decl();
    if (!decl.isEmpty()) {
      if (r.pipe().isAssign()) {
        setVar(decl.getFirst().ident().getFirst(), decl.size() > 1 ? index : elem);
      } else {
        setTopVar(1, elem);
      }
    }
    if (decl.size() > 1) {
      if (r.pipe().isAssign()) {
        setVar(decl.get(1).ident().getFirst(), elem);
      } else {
        setTopVar(2, index);
      }
    }
    try {
      Flow f = walk(elem, r.list());
      return f == Flow.BREAK ? Flow.BREAK : Flow.NORMAL;
    } finally {
      pop(mark);
    }
  }

  private void walkTemplate(Value dot, TemplateNode t) {
    at(t);
    ListNode root = template.tree(t.name());
    if (root == null) {
      throw errorf("template " + GoFmt.quote(t.name()) + " not defined");
    }
    if (depth == MAX_EXEC_DEPTH) {
      throw errorf("exceeded maximum template depth (" + MAX_EXEC_DEPTH + ")");
    }
    Value newDot = t.pipe() == null ? Value.NIL : evalPipeline(dot, t.pipe());
    List<Var> savedVars = vars;
    String savedName = currentName;
    vars = new ArrayList<>();
    vars.add(new Var("$", newDot));
    currentName = t.name();
    depth++;
    try {
      walk(newDot, root);
    } finally {
      depth--;
      vars = savedVars;
      currentName = savedName;
    }
  }

  // ---- variables ----------------------------------------------------------------------------

  private void pop(int mark) {
    while (vars.size() > mark) {
      vars.removeLast();
    }
  }

  private void setVar(String name, Value value) {
    for (int i = vars.size() - 1; i >= 0; i--) {
      if (vars.get(i).name().equals(name)) {
        vars.set(i, new Var(name, value));
        return;
      }
    }
    throw errorf("undefined variable: " + name);
  }

  private void setTopVar(int n, Value value) {
    int i = vars.size() - n;
    vars.set(i, new Var(vars.get(i).name(), value));
  }

  private Value varValue(String name) {
    for (int i = vars.size() - 1; i >= 0; i--) {
      if (vars.get(i).name().equals(name)) {
        return vars.get(i).value();
      }
    }
    throw errorf("undefined variable: " + name);
  }

  // ---- evaluation ---------------------------------------------------------------------------

  private Value evalPipeline(Value dot, PipeNode pipe) {
    at(pipe);
    @Nullable Value value = null;
    for (CommandNode cmd : pipe.cmds()) {
      value = evalCommand(dot, cmd, value);
    }
    if (value == null) {
      value = Value.NIL;
    }
    for (VariableNode v : pipe.decl()) {
      if (pipe.isAssign()) {
        setVar(v.ident().getFirst(), value);
      } else {
        vars.add(new Var(v.ident().getFirst(), value));
      }
    }
    return value;
  }

  /** @param fin the previous pipeline stage's value, or null when there is none */
  private Value evalCommand(Value dot, CommandNode cmd, @Nullable Value fin) {
    Arg first = cmd.args().getFirst();
    switch (first) {
      case FieldNode f -> {
        return evalFieldNode(dot, f, cmd.args(), fin);
      }
      case ChainNode c -> {
        return evalChainNode(dot, c, cmd.args(), fin);
      }
      case IdentifierNode i -> {
        return evalFunction(dot, i, cmd, cmd.args(), fin);
      }
      case PipeNode p -> {
        notAFunction(cmd.args(), fin);
        return evalPipeline(dot, p);
      }
      case VariableNode v -> {
        return evalVariableNode(dot, v, cmd.args(), fin);
      }
      default -> { }
    }
    at(first);
    notAFunction(cmd.args(), fin);
    return switch (first) {
      case BoolNode b -> new BoolValue(b.value());
      case DotNode d -> dot;
      case NilNode n -> throw errorf("nil is not a command");
      case NumberNode n -> idealConstant(n);
      case StringNode s -> new StringValue(s.text());
      default -> throw errorf("can't evaluate command " + GoFmt.quote(first.toString()));
    };
  }

  private void notAFunction(List<Arg> args, @Nullable Value fin) {
    if (args.size() > 1 || fin != null) {
      throw errorf("can't give argument to non-function " + args.getFirst());
    }
  }

  private Value idealConstant(NumberNode n) {
    at(n);
    String t = n.text();
    boolean hexInt = (t.startsWith("0x") || t.startsWith("0X") || t.startsWith("-0x")
        || t.startsWith("+0x")) && !t.contains("p") && !t.contains("P");
    if (n.isComplex()) {
      throw errorf("complex constants are not supported: " + t);
    }
    if (n.isFloat() && !hexInt && !t.startsWith("'") && t.matches(".*[.eEpP].*")) {
      return new FloatValue(n.floatValue());
    }
    if (n.isInt()) {
      return new IntValue(n.intValue());
    }
    throw errorf(t + " overflows int");
  }

  private Value evalFieldNode(Value dot, FieldNode field, List<Arg> args, @Nullable Value fin) {
    at(field);
    return evalFieldChain(dot, dot, field, field.ident(), args, fin);
  }

  private Value evalChainNode(Value dot, ChainNode chain, List<Arg> args, @Nullable Value fin) {
    at(chain);
    if (chain.node() instanceof NilNode) {
      throw errorf("indirection through explicit nil in " + chain);
    }
    Value pipe = evalArg(dot, ParamType.ANY, chain.node());
    return evalFieldChain(dot, pipe, chain, chain.field(), args, fin);
  }

  private Value evalVariableNode(Value dot, VariableNode v, List<Arg> args,
      @Nullable Value fin) {
    at(v);
    Value value = varValue(v.ident().getFirst());
    if (v.ident().size() == 1) {
      notAFunction(args, fin);
      return value;
    }
    return evalFieldChain(dot, value, v, v.ident().subList(1, v.ident().size()), args, fin);
  }

  private Value evalFieldChain(Value dot, Value receiver, Node node, List<String> ident,
      List<Arg> args, @Nullable Value fin) {
    int n = ident.size();
    for (int i = 0; i < n - 1; i++) {
      receiver = evalField(ident.get(i), List.of(), null, receiver);
    }
    return evalField(ident.get(n - 1), args, fin, receiver);
  }

  private Value evalField(String fieldName, List<Arg> args, @Nullable Value fin,
      Value receiver) {
    boolean hasArgs = args.size() > 1 || fin != null;
    switch (receiver) {
      case NilValue n -> {
        return Value.NIL;
      }
      case StructValue s -> {
        Value f = s.fields().get(fieldName);
        if (f != null) {
          if (hasArgs) {
            throw errorf(fieldName + " has arguments but cannot be invoked as function");
          }
          return f;
        }
      }
      case MapValue m -> {
        if (hasArgs) {
          throw errorf(fieldName + " is not a method but has arguments");
        }
        Value v = m.entries().get(fieldName);
        return v != null ? v : m.zero();
      }
      case TimeValue t -> {
        // The time.Time methods that alert templates use.
        switch (fieldName) {
          case "Unix" -> {
            return new IntValue(t.instant().getEpochSecond());
          }
          case "UnixMilli" -> {
            return new IntValue(t.instant().toEpochMilli());
          }
          case "UTC" -> {
            return t;
          }
          default -> { }
        }
      }
      default -> { }
    }
    throw errorf("can't evaluate field " + fieldName + " in type " + receiver.goType());
  }

  private Value evalFunction(Value dot, IdentifierNode node, Node cmd, List<Arg> args,
      @Nullable Value fin) {
    at(node);
    TemplateFunction fn = functions.get(node.ident());
    if (fn == null) {
      throw errorf(GoFmt.quote(node.ident()) + " is not a defined function");
    }
    return evalCall(dot, fn, cmd, node.ident(), args.subList(1, args.size()), fin);
  }

  private Value evalCall(Value dot, TemplateFunction fn, Node node, String name, List<Arg> args,
      @Nullable Value fin) {
    List<ParamType> params = fn.params();
    int numIn = args.size() + (fin != null ? 1 : 0);
    int numFixed = args.size();
    if (fn.variadic()) {
      numFixed = params.size() - 1;
      if (numIn < numFixed) {
        throw errorf("wrong number of args for " + name + ": want at least " + numFixed
            + " got " + args.size());
      }
    } else if (numIn != params.size()) {
      throw errorf("wrong number of args for " + name + ": want " + params.size() + " got "
          + numIn);
    }
    if (fn == Builtins.AND || fn == Builtins.OR) {
      Value v = Value.NIL;
      for (Arg arg : args) {
        v = evalArg(dot, ParamType.REFLECT, arg);
        if (Builtins.truth(v) == (fn == Builtins.OR)) {
          return v;
        }
      }
      return fin != null ? fin : v;
    }
    List<Value> argv = new ArrayList<>(numIn);
    int i = 0;
    for (; i < numFixed && i < args.size(); i++) {
      argv.add(evalArg(dot, params.get(i), args.get(i)));
    }
    if (fn.variadic()) {
      ParamType elem = params.getLast();
      for (; i < args.size(); i++) {
        argv.add(evalArg(dot, elem, args.get(i)));
      }
    }
    if (fin != null) {
      ParamType t = params.getLast();
      if (fn.variadic() && numIn - 1 < numFixed) {
        t = params.get(numIn - 1);
      }
      argv.add(validateType(fin, t));
    }
    if (fn == Builtins.CALL) {
      argv.addFirst(new StringValue(args.isEmpty() ? GoFmt.formatV(fin, 0)
          : args.getFirst().toString()));
    }
    try {
      return fn.body().apply(argv);
    } catch (TemplateFunctionException e) {
      at(node);
      throw errorf("error calling " + name + ": " + e.getMessage());
    } catch (RuntimeException e) {
      // Go recovers panics inside function calls and reports them as call errors.
      at(node);
      throw errorf("error calling " + name + ": " + e.getMessage());
    }
  }

  private Value evalArg(Value dot, ParamType typ, Arg n) {
    at(n);
    switch (n) {
      case DotNode d -> {
        return validateType(dot, typ);
      }
      case NilNode nil -> {
        if (typ.canBeNil()) {
          return Value.NIL;
        }
        throw errorf("cannot assign nil to " + typ.goName());
      }
      case FieldNode f -> {
        return validateType(evalFieldNode(dot, f, List.of(n), null), typ);
      }
      case VariableNode v -> {
        return validateType(evalVariableNode(dot, v, List.of(n), null), typ);
      }
      case PipeNode p -> {
        return validateType(evalPipeline(dot, p), typ);
      }
      case IdentifierNode id -> {
        return validateType(evalFunction(dot, id, id, List.of(n), null), typ);
      }
      case ChainNode c -> {
        return validateType(evalChainNode(dot, c, List.of(n), null), typ);
      }
      default -> { }
    }
    switch (typ.kind()) {
      case BOOL -> {
        if (n instanceof BoolNode b) {
          return new BoolValue(b.value());
        }
        throw errorf("expected bool; found " + n);
      }
      case FLOAT -> {
        if (n instanceof NumberNode num && num.isFloat()) {
          return new FloatValue(num.floatValue());
        }
        throw errorf("expected float; found " + n);
      }
      case INT -> {
        if (n instanceof NumberNode num && num.isInt()) {
          return new IntValue(num.intValue());
        }
        throw errorf("expected integer; found " + n);
      }
      case STRING -> {
        if (n instanceof StringNode s) {
          return new StringValue(s.text());
        }
        throw errorf("expected string; found " + n);
      }
      case ANY, REFLECT -> {
        return switch (n) {
          case BoolNode b -> new BoolValue(b.value());
          case NumberNode num -> idealConstant(num);
          case StringNode s -> new StringValue(s.text());
          default -> throw errorf("can't handle " + n + " for arg of type " + typ.goName());
        };
      }
      case NAMED -> throw errorf("can't handle " + n + " for arg of type " + typ.goName());
    }
    throw new IllegalStateException("unhandled parameter kind " + typ.kind());
  }

  private Value validateType(Value value, ParamType typ) {
    if (value instanceof NilValue) {
      if (typ.canBeNil() || typ.kind() == ParamType.Kind.REFLECT) {
        return value;
      }
      throw errorf("invalid value; expected " + typ.goName());
    }
    if (!typ.accepts(value)) {
      throw errorf("wrong type for value; expected " + typ.goName() + "; got " + value.goType());
    }
    return value;
  }

  private void printValue(Node n, Value v) {
    at(n);
    switch (v) {
      case NilValue nil -> out.append("<no value>");
      case FuncValue f -> throw errorf("can't print " + n + " of type " + v.goType());
      case StructValue s when s.pointer() -> out.append(GoFmt.formatV(s, 1));
      default -> out.append(GoFmt.formatV(v, 0));
    }
  }
}
