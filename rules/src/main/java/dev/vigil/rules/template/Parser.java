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
import dev.vigil.rules.template.Token.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Go's recursive-descent template parser ({@code text/template/parse/parse.go}), including its
 * look-ahead quirks, so that accepted templates and error messages match Go. Parsing one text may
 * define several named templates ({@code define}, {@code block}); they land in {@code trees}.
 */
final class Parser {
  /** Thrown to unwind the recursive descent; converted to TemplateParseException at the top. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  private final String parseName;
  private final List<Token> tokens;
  private final Set<String> functions;
  private final Map<String, ListNode> trees;
  private int index;
  private int furthest;
  private int actionLine;
  private int rangeDepth;
  private List<String> vars = new ArrayList<>(List.of("$"));

  private Parser(String parseName, String text, Set<String> functions, Map<String, ListNode> trees) {
    this.parseName = parseName;
    this.tokens = Lexer.lex(text);
    this.functions = functions;
    this.trees = trees;
  }

  /**
   * Parses {@code text} as template {@code name}, adding it and every template it defines to
   * {@code trees}.
   */
  static void parse(String name, String text, Set<String> functions, Map<String, ListNode> trees)
      throws TemplateParseException {
    Parser p = new Parser(name, text, functions, trees);
    try {
      ListNode root = p.parseRoot();
      p.add(name, root);
    } catch (Failure f) {
      throw new TemplateParseException(f.getMessage());
    }
  }

  // ---- token stream -------------------------------------------------------------------------

  private Token next() {
    Token t = tokens.get(Math.min(index, tokens.size() - 1));
    index++;
    furthest = Math.max(furthest, Math.min(index, tokens.size()) - 1);
    return t;
  }

  private void backup() {
    index--;
  }

  private Token peek() {
    Token t = next();
    backup();
    return t;
  }

  private Token nextNonSpace() {
    Token t;
    do {
      t = next();
    } while (t.kind() == Kind.SPACE);
    return t;
  }

  private Token peekNonSpace() {
    Token t = nextNonSpace();
    backup();
    return t;
  }

  private Failure errorf(String message) {
    int line = tokens.get(furthest).line();
    return new Failure("template: " + parseName + ":" + line + ": " + message);
  }

  private Failure unexpected(Token token, String context) {
    if (token.kind() == Kind.ERROR) {
      String extra = "";
      if (actionLine != 0 && actionLine != token.line()) {
        extra = " in action started at " + parseName + ":" + actionLine;
        if (token.val().endsWith(" action")) {
          extra = extra.substring(" in action".length());
        }
      }
      return errorf(token + extra);
    }
    return errorf("unexpected " + token + " in " + context);
  }

  private Token expect(Kind expected, String context) {
    Token token = nextNonSpace();
    if (token.kind() != expected) {
      throw unexpected(token, context);
    }
    return token;
  }

  // ---- trees --------------------------------------------------------------------------------

  private void add(String name, ListNode root) {
    ListNode existing = trees.get(name);
    if (existing == null || isEmpty(existing)) {
      trees.put(name, root);
      return;
    }
    if (!isEmpty(root)) {
      throw errorf("template: multiple definition of template " + GoFmt.quote(name));
    }
  }

  private static boolean isEmpty(Node n) {
    return switch (n) {
      case ListNode l -> l.nodes().stream().allMatch(Parser::isEmpty);
      case TextNode t -> t.text().isBlank();
      case CommentNode c -> true;
      default -> false;
    };
  }

  private ListNode parseRoot() {
    List<Node> nodes = new ArrayList<>();
    ListNode root = new ListNode(peek().pos(), nodes);
    while (peek().kind() != Kind.EOF) {
      if (peek().kind() == Kind.LEFT_DELIM) {
        int mark = index;
        next();
        if (nextNonSpace().kind() == Kind.DEFINE) {
          parseDefinition();
          continue;
        }
        index = mark;
      }
      Node n = textOrAction();
      if (n instanceof EndNode || n instanceof ElseNode) {
        throw errorf("unexpected " + n);
      }
      nodes.add(n);
    }
    return root;
  }

  private void parseDefinition() {
    String context = "define clause";
    Token name = nextNonSpace();
    if (name.kind() != Kind.STRING && name.kind() != Kind.RAW_STRING) {
      throw unexpected(name, context);
    }
    String treeName = unquote(name.val());
    expect(Kind.RIGHT_DELIM, context);
    List<String> saved = vars;
    vars = new ArrayList<>(List.of("$"));
    ItemList body = itemList();
    vars = saved;
    if (!(body.end() instanceof EndNode)) {
      throw errorf("unexpected " + body.end() + " in " + context);
    }
    add(treeName, body.list());
  }

  private record ItemList(ListNode list, Node end) {}

  private ItemList itemList() {
    List<Node> nodes = new ArrayList<>();
    ListNode list = new ListNode(peekNonSpace().pos(), nodes);
    while (peekNonSpace().kind() != Kind.EOF) {
      Node n = textOrAction();
      if (n instanceof EndNode || n instanceof ElseNode) {
        return new ItemList(list, n);
      }
      nodes.add(n);
    }
    throw errorf("unexpected EOF");
  }

  private Node textOrAction() {
    Token token = nextNonSpace();
    switch (token.kind()) {
      case TEXT -> {
        return new TextNode(token.pos(), token.val());
      }
      case LEFT_DELIM -> {
        int saved = actionLine;
        actionLine = token.line();
        try {
          return action();
        } finally {
          actionLine = saved;
        }
      }
      case COMMENT -> {
        return new CommentNode(token.pos(), token.val());
      }
      default -> throw unexpected(token, "input");
    }
  }

  private Node action() {
    Token token = nextNonSpace();
    switch (token.kind()) {
      case BLOCK -> {
        return blockControl();
      }
      case BREAK -> {
        return breakOrContinue(token, "{{break}}", true);
      }
      case CONTINUE -> {
        return breakOrContinue(token, "{{continue}}", false);
      }
      case ELSE -> {
        return elseControl();
      }
      case END -> {
        return new EndNode(expect(Kind.RIGHT_DELIM, "end").pos());
      }
      case IF -> {
        return branch(BranchKind.IF);
      }
      case RANGE -> {
        return branch(BranchKind.RANGE);
      }
      case TEMPLATE -> {
        return templateControl();
      }
      case WITH -> {
        return branch(BranchKind.WITH);
      }
      default -> {
        backup();
        Token start = peek();
        return new ActionNode(start.pos(), start.line(), pipeline("command", Kind.RIGHT_DELIM));
      }
    }
  }

  private Node breakOrContinue(Token token, String context, boolean isBreak) {
    Token t = nextNonSpace();
    if (t.kind() != Kind.RIGHT_DELIM) {
      throw unexpected(t, context);
    }
    if (rangeDepth == 0) {
      throw errorf(context + " outside {{range}}");
    }
    return isBreak ? new BreakNode(token.pos(), token.line())
        : new ContinueNode(token.pos(), token.line());
  }

  private Node elseControl() {
    Token peek = peekNonSpace();
    if (peek.kind() == Kind.IF || peek.kind() == Kind.WITH) {
      return new ElseNode(peek.pos(), peek.line());
    }
    Token token = expect(Kind.RIGHT_DELIM, "else");
    return new ElseNode(token.pos(), token.line());
  }

  private BranchNode branch(BranchKind kind) {
    String context = kind.name().toLowerCase(java.util.Locale.ROOT);
    int mark = vars.size();
    try {
      PipeNode pipe = pipeline(context, Kind.RIGHT_DELIM);
      if (kind == BranchKind.RANGE) {
        rangeDepth++;
      }
      ItemList body = itemList();
      if (kind == BranchKind.RANGE) {
        rangeDepth--;
      }
      ListNode elseList = null;
      if (body.end() instanceof ElseNode elseNode) {
        // "{{else if}}" and "{{else with}}" nest a new branch whose {{end}} closes both.
        if (kind == BranchKind.IF && peek().kind() == Kind.IF) {
          next();
          elseList = new ListNode(elseNode.pos(), List.of(branch(BranchKind.IF)));
        } else if (kind == BranchKind.WITH && peek().kind() == Kind.WITH) {
          next();
          elseList = new ListNode(elseNode.pos(), List.of(branch(BranchKind.WITH)));
        } else {
          ItemList elseBody = itemList();
          if (!(elseBody.end() instanceof EndNode)) {
            throw errorf("expected end; found " + elseBody.end());
          }
          elseList = elseBody.list();
        }
      }
      return new BranchNode(kind, pipe.pos(), pipe.line(), pipe, body.list(), elseList);
    } finally {
      while (vars.size() > mark) {
        vars.removeLast();
      }
    }
  }

  private Node templateControl() {
    String context = "template clause";
    Token token = nextNonSpace();
    String name = templateName(token, context);
    PipeNode pipe = null;
    if (nextNonSpace().kind() != Kind.RIGHT_DELIM) {
      backup();
      pipe = pipeline(context, Kind.RIGHT_DELIM);
    }
    return new TemplateNode(token.pos(), token.line(), name, pipe);
  }

  private String templateName(Token token, String context) {
    if (token.kind() == Kind.STRING || token.kind() == Kind.RAW_STRING) {
      return unquote(token.val());
    }
    throw unexpected(token, context);
  }

  private Node blockControl() {
    String context = "block clause";
    Token token = nextNonSpace();
    String name = templateName(token, context);
    PipeNode pipe = pipeline(context, Kind.RIGHT_DELIM);
    List<String> saved = vars;
    vars = new ArrayList<>(List.of("$"));
    ItemList body = itemList();
    vars = saved;
    if (!(body.end() instanceof EndNode)) {
      throw errorf("unexpected " + body.end() + " in " + context);
    }
    add(name, body.list());
    return new TemplateNode(token.pos(), token.line(), name, pipe);
  }

  private PipeNode pipeline(String context, Kind end) {
    Token start = peekNonSpace();
    List<VariableNode> decl = new ArrayList<>();
    List<CommandNode> cmds = new ArrayList<>();
    boolean isAssign = false;
    decls:
    while (true) {
      Token v = peekNonSpace();
      if (v.kind() != Kind.VARIABLE) {
        break;
      }
      int beforeVariable = index;
      nextNonSpace();
      Token afterVariable = peek();
      Token nxt = peekNonSpace();
      if (nxt.kind() == Kind.ASSIGN || nxt.kind() == Kind.DECLARE) {
        isAssign = nxt.kind() == Kind.ASSIGN;
        nextNonSpace();
        decl.add(new VariableNode(v.pos(), List.of(v.val())));
        vars.add(v.val());
        break;
      } else if (nxt.kind() == Kind.CHAR && nxt.val().equals(",")) {
        nextNonSpace();
        decl.add(new VariableNode(v.pos(), List.of(v.val())));
        vars.add(v.val());
        if (context.equals("range") && decl.size() < 2) {
          Kind k = peekNonSpace().kind();
          if (k == Kind.VARIABLE || k == Kind.RIGHT_DELIM || k == Kind.RIGHT_PAREN) {
            continue decls;
          }
          throw errorf("range can only initialize variables");
        }
        throw errorf("too many declarations in " + context);
      } else {
        index = beforeVariable;
        break;
      }
    }
    PipeNode pipe = new PipeNode(start.pos(), start.line(), isAssign, decl, cmds);
    while (true) {
      Token token = nextNonSpace();
      if (token.kind() == end) {
        checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.kind()) {
        case BOOL, CHAR_CONSTANT, COMPLEX, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING,
            VARIABLE, LEFT_PAREN -> {
          backup();
          cmds.add(command());
        }
        default -> throw unexpected(token, context);
      }
    }
  }

  private void checkPipeline(PipeNode pipe, String context) {
    if (pipe.cmds().isEmpty()) {
      throw errorf("missing value for " + context);
    }
    for (int i = 1; i < pipe.cmds().size(); i++) {
      Arg first = pipe.cmds().get(i).args().getFirst();
      if (first instanceof BoolNode || first instanceof DotNode || first instanceof NilNode
          || first instanceof NumberNode || first instanceof StringNode) {
        throw errorf("non executable command in pipeline stage " + (i + 1));
      }
    }
  }

  private CommandNode command() {
    List<Arg> args = new ArrayList<>();
    CommandNode cmd = new CommandNode(peekNonSpace().pos(), args);
    while (true) {
      peekNonSpace();
      Arg operand = operand();
      if (operand != null) {
        args.add(operand);
      }
      Token token = next();
      if (token.kind() == Kind.SPACE) {
        continue;
      }
      if (token.kind() == Kind.RIGHT_DELIM || token.kind() == Kind.RIGHT_PAREN) {
        backup();
      } else if (token.kind() != Kind.PIPE) {
        throw unexpected(token, "operand");
      }
      break;
    }
    if (args.isEmpty()) {
      throw errorf("empty command");
    }
    return cmd;
  }

  private @Nullable Arg operand() {
    Arg node = term();
    if (node == null) {
      return null;
    }
    if (peek().kind() == Kind.FIELD) {
      int chainPos = peek().pos();
      List<String> fields = new ArrayList<>();
      while (peek().kind() == Kind.FIELD) {
        fields.add(next().val().substring(1));
      }
      switch (node) {
        case FieldNode f -> {
          List<String> all = new ArrayList<>(f.ident());
          all.addAll(fields);
          return new FieldNode(chainPos, List.copyOf(all));
        }
        case VariableNode v -> {
          List<String> all = new ArrayList<>(v.ident());
          all.addAll(fields);
          return new VariableNode(chainPos, List.copyOf(all));
        }
        case BoolNode b -> throw errorf("unexpected . after term " + GoFmt.quote(b.toString()));
        case StringNode s -> throw errorf("unexpected . after term " + GoFmt.quote(s.toString()));
        case NumberNode n -> throw errorf("unexpected . after term " + GoFmt.quote(n.toString()));
        case NilNode n -> throw errorf("unexpected . after term " + GoFmt.quote(n.toString()));
        case DotNode d -> throw errorf("unexpected . after term " + GoFmt.quote(d.toString()));
        default -> {
          return new ChainNode(chainPos, node, List.copyOf(fields));
        }
      }
    }
    return node;
  }

  private @Nullable Arg term() {
    Token token = nextNonSpace();
    switch (token.kind()) {
      case IDENTIFIER -> {
        if (!functions.contains(token.val())) {
          throw errorf("function " + GoFmt.quote(token.val()) + " not defined");
        }
        return new IdentifierNode(token.pos(), token.val());
      }
      case DOT -> {
        return new DotNode(token.pos());
      }
      case NIL -> {
        return new NilNode(token.pos());
      }
      case VARIABLE -> {
        List<String> ident = Arrays.asList(token.val().split("\\.", -1));
        if (!vars.contains(ident.getFirst())) {
          throw errorf("undefined variable " + GoFmt.quote(ident.getFirst()));
        }
        return new VariableNode(token.pos(), List.copyOf(ident));
      }
      case FIELD -> {
        return new FieldNode(token.pos(), List.of(token.val().substring(1)));
      }
      case BOOL -> {
        return new BoolNode(token.pos(), token.val().equals("true"));
      }
      case CHAR_CONSTANT, COMPLEX, NUMBER -> {
        return number(token);
      }
      case LEFT_PAREN -> {
        return pipeline("parenthesized pipeline", Kind.RIGHT_PAREN);
      }
      case STRING, RAW_STRING -> {
        return new StringNode(token.pos(), token.val(), unquote(token.val()));
      }
      default -> {
        backup();
        return null;
      }
    }
  }

  private NumberNode number(Token token) {
    String text = token.val();
    if (token.kind() == Kind.COMPLEX) {
      return new NumberNode(token.pos(), text, false, 0, false, 0, true);
    }
    if (token.kind() == Kind.CHAR_CONSTANT) {
      String s = unquoteChar(text);
      int r = s.codePointAt(0);
      return new NumberNode(token.pos(), text, true, r, true, r, false);
    }
    String clean = text.replace("_", "");
    Long asInt = parseGoInt(clean);
    if (asInt != null) {
      return new NumberNode(token.pos(), text, true, asInt, true, asInt.doubleValue(), false);
    }
    Double f = parseGoFloat(clean);
    if (f != null) {
      if (!text.matches(".*[.eEpP].*") || (isHex(clean) && !clean.matches(".*[pP].*"))) {
        throw errorf("integer overflow: " + GoFmt.quote(text));
      }
      boolean isInt = f == Math.rint(f) && Math.abs(f) < 9.223372036854775807E18;
      return new NumberNode(token.pos(), text, isInt, isInt ? f.longValue() : 0, true, f, false);
    }
    throw errorf("illegal number syntax: " + GoFmt.quote(text));
  }

  private static boolean isHex(String s) {
    String t = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    return t.startsWith("0x") || t.startsWith("0X");
  }

  /** strconv.ParseInt(s, 0, 64): sign, then 0x/0o/0b/leading-0 octal prefixes. */
  static @Nullable Long parseGoInt(String s) {
    if (s.isEmpty()) {
      return null;
    }
    boolean neg = false;
    String t = s;
    if (t.charAt(0) == '+' || t.charAt(0) == '-') {
      neg = t.charAt(0) == '-';
      t = t.substring(1);
    }
    int radix = 10;
    if (t.length() > 1 && t.charAt(0) == '0') {
      char c = Character.toLowerCase(t.charAt(1));
      if (c == 'x') {
        radix = 16;
        t = t.substring(2);
      } else if (c == 'o') {
        radix = 8;
        t = t.substring(2);
      } else if (c == 'b') {
        radix = 2;
        t = t.substring(2);
      } else {
        radix = 8;
        t = t.substring(1);
      }
    }
    if (t.isEmpty() || t.startsWith("+") || t.startsWith("-")) {
      return null;
    }
    try {
      return Long.parseLong((neg ? "-" : "") + t, radix);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static @Nullable Double parseGoFloat(String s) {
    if (s.isEmpty() || s.endsWith("i")) {
      return null;
    }
    try {
      if (isHex(s)) {
        String t = s.contains("p") || s.contains("P") ? s : s + "p0";
        return Double.parseDouble(t);
      }
      if (!s.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
        return null;
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String unquote(String quoted) {
    try {
      return GoStrings.unquote(quoted);
    } catch (IllegalArgumentException e) {
      throw errorf(e.getMessage());
    }
  }

  private String unquoteChar(String quoted) {
    try {
      return GoStrings.unquote(quoted);
    } catch (IllegalArgumentException e) {
      throw errorf("malformed character constant: " + quoted);
    }
  }
}
