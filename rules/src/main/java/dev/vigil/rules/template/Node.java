package dev.vigil.rules.template;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parse tree of a template, one record per Go {@code parse.Node} kind. {@code pos} is the char
 * offset of the node's first token; {@link #toString()} reproduces Go's {@code Node.String()},
 * which Go prints as the context of execution errors.
 */
sealed interface Node {
  int pos();

  /** Nodes that may appear as arguments of a command. */
  sealed interface Arg extends Node
      permits FieldNode, VariableNode, ChainNode, IdentifierNode, DotNode, NilNode, BoolNode,
          NumberNode, StringNode, PipeNode {}

  record ListNode(int pos, List<Node> nodes) implements Node {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      nodes.forEach(sb::append);
      return sb.toString();
    }
  }

  record TextNode(int pos, String text) implements Node {
    @Override
    public String toString() {
      return text;
    }
  }

  record CommentNode(int pos, String text) implements Node {
    @Override
    public String toString() {
      return "{{" + text + "}}";
    }
  }

  record ActionNode(int pos, int line, PipeNode pipe) implements Node {
    @Override
    public String toString() {
      return "{{" + pipe + "}}";
    }
  }

  enum BranchKind { IF, RANGE, WITH }

  /** {@code if}, {@code range} and {@code with} share one shape, as in Go's BranchNode. */
  record BranchNode(BranchKind kind, int pos, int line, PipeNode pipe, ListNode list,
      @Nullable ListNode elseList) implements Node {
    @Override
    public String toString() {
      String name = kind.name().toLowerCase(java.util.Locale.ROOT);
      return "{{" + name + " " + pipe + "}}" + list
          + (elseList == null ? "" : "{{else}}" + elseList) + "{{end}}";
    }
  }

  record TemplateNode(int pos, int line, String name, @Nullable PipeNode pipe) implements Node {
    @Override
    public String toString() {
      return pipe == null
          ? "{{template " + GoFmt.quote(name) + "}}"
          : "{{template " + GoFmt.quote(name) + " " + pipe + "}}";
    }
  }

  record BreakNode(int pos, int line) implements Node {
    @Override
    public String toString() {
      return "{{break}}";
    }
  }

  record ContinueNode(int pos, int line) implements Node {
    @Override
    public String toString() {
      return "{{continue}}";
    }
  }

  /** Only produced while parsing; never part of a finished tree. */
  record EndNode(int pos) implements Node {
    @Override
    public String toString() {
      return "{{end}}";
    }
  }

  /** Only produced while parsing; never part of a finished tree. */
  record ElseNode(int pos, int line) implements Node {
    @Override
    public String toString() {
      return "{{else}}";
    }
  }

  record PipeNode(int pos, int line, boolean isAssign, List<VariableNode> decl,
      List<CommandNode> cmds) implements Arg {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      if (!decl.isEmpty()) {
        for (int i = 0; i < decl.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          sb.append(decl.get(i));
        }
        sb.append(isAssign ? " = " : " := ");
      }
      for (int i = 0; i < cmds.size(); i++) {
        if (i > 0) {
          sb.append(" | ");
        }
        sb.append(cmds.get(i));
      }
      return sb.toString();
    }
  }

  record CommandNode(int pos, List<Arg> args) implements Node {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < args.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        Arg a = args.get(i);
        if (a instanceof PipeNode) {
          sb.append('(').append(a).append(')');
        } else {
          sb.append(a);
        }
      }
      return sb.toString();
    }
  }

  record FieldNode(int pos, List<String> ident) implements Arg {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      ident.forEach(id -> sb.append('.').append(id));
      return sb.toString();
    }
  }

  record VariableNode(int pos, List<String> ident) implements Arg {
    @Override
    public String toString() {
      return String.join(".", ident);
    }
  }

  record ChainNode(int pos, Arg node, List<String> field) implements Arg {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      if (node instanceof PipeNode) {
        sb.append('(').append(node).append(')');
      } else {
        sb.append(node);
      }
      field.forEach(f -> sb.append('.').append(f));
      return sb.toString();
    }
  }

  record IdentifierNode(int pos, String ident) implements Arg {
    @Override
    public String toString() {
      return ident;
    }
  }

  record DotNode(int pos) implements Arg {
    @Override
    public String toString() {
      return ".";
    }
  }

  record NilNode(int pos) implements Arg {
    @Override
    public String toString() {
      return "nil";
    }
  }

  record BoolNode(int pos, boolean value) implements Arg {
    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  /**
   * A numeric or character constant. Like Go, one literal may be valid as several kinds at once
   * ({@code 1.0} is both an integer and a float); execution picks a kind from the context.
   */
  record NumberNode(int pos, String text, boolean isInt, long intValue, boolean isFloat,
      double floatValue, boolean isComplex) implements Arg {
    @Override
    public String toString() {
      return text;
    }
  }

  record StringNode(int pos, String quoted, String text) implements Arg {
    @Override
    public String toString() {
      return quoted;
    }
  }
}
