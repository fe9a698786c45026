package dev.vigil.rules.template;

import dev.vigil.rules.template.Node.ListNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parsed Go text/template: the named template {@link #name()} plus every template its text
 * defines. Immutable and safe to execute from several threads at once.
 *
 * <pre>{@code
 * Template t = Template.parse("greeting", "Hello {{ .name | toUpper }}", functions);
 * Expansion e = t.execute(Value.of(Map.of("name", "vigil")));
 * }</pre>
 */
public final class Template {
  private final String name;
  private final String source;
  private final Map<String, ListNode> trees;
  private final Map<String, TemplateFunction> functions;

  private Template(String name, String source, Map<String, ListNode> trees,
      Map<String, TemplateFunction> functions) {
    this.name = name;
    this.source = source;
    this.trees = Map.copyOf(trees);
    this.functions = functions;
  }

  /**
   * Parses {@code text} with Go's builtins plus {@code functions} (which win on a name clash,
   * as in Go).
   *
   * @throws TemplateParseException with Go's message, e.g. {@code template: t:1: unexpected EOF}
   */
  public static Template parse(String name, String text, Map<String, TemplateFunction> functions)
      throws TemplateParseException {
    Map<String, TemplateFunction> all = new LinkedHashMap<>(Builtins.all());
    all.putAll(functions);
    Map<String, ListNode> trees = new HashMap<>();
    Parser.parse(name, text, all.keySet(), trees);
    return new Template(name, text, trees, Map.copyOf(all));
  }

  public String name() {
    return name;
  }

  String source() {
    return source;
  }

  @Nullable ListNode tree(String templateName) {
    return trees.get(templateName);
  }

  /** Executes the main template with {@code data} as dot. Never throws for template errors. */
  public Expansion execute(Value data) {
    return execute(name, data);
  }

  /** Executes one of the templates defined by this text, like Go's ExecuteTemplate. */
  public Expansion execute(String templateName, Value data) {
    ListNode root = trees.get(templateName);
    if (root == null) {
      return new Expansion.Failure("template: no template " + GoFmt.quote(templateName)
          + " associated with template " + GoFmt.quote(name));
    }
    try {
      return new Expansion.Success(new Executor(this, functions).run(templateName, root, data));
    } catch (Executor.ExecFailure e) {
      return new Expansion.Failure(e.getMessage());
    } catch (StackOverflowError e) {
      return new Expansion.Failure("template: " + templateName
          + ": execution exceeded the thread's stack");
    }
  }
}
