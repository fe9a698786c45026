package dev.vigil.rules.file;

import dev.vigil.rules.duration.PromDuration;
import dev.vigil.rules.file.RawRuleFile.Group;
import dev.vigil.rules.file.RawRuleFile.RawRule;
import dev.vigil.rules.file.RawRuleFile.Scalar;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ScannerException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Decodes a rule file from snakeyaml-engine's node graph the way Prometheus's rulefmt.Parse
 * decodes it with yaml.v3, so that errors are promtool's word for word:
 *
 * <ol>
 *   <li>a strict decode into the typed structs ({@code KnownFields}): type errors and unknown
 *       fields are collected as "yaml: unmarshal errors:", a bad duration aborts the decode;
 *   <li>a second, lenient decode into {@code ruleGroups{Groups []yaml.Node}} whose errors are
 *       reported again (promtool prints some messages twice for that reason).
 * </ol>
 *
 * Go type names in messages are those of promtool 2.42 ({@code rulefmt.RuleNode}).
 */
final class YamlDecoder {
  static final String FILE_TYPE = "rulefmt.RuleGroups";
  static final String GROUPS_TYPE = "[]rulefmt.RuleGroup";
  static final String GROUP_TYPE = "rulefmt.RuleGroup";
  static final String RULES_TYPE = "[]rulefmt.RuleNode";
  static final String RULE_TYPE = "rulefmt.RuleNode";
  static final String MAP_TYPE = "map[string]string";

  /** Outcome: the decoded file if there were no errors, else the errors (without file name). */
  record Decoded(@Nullable RawRuleFile file, List<String> errors) {}

  /** A non-type error from a field decoder (yaml.v3 fail()): it ends the strict decode. */
  private static final class Fatal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Fatal(String message) {
      super(message, null, false, false);
    }
  }

  private final List<String> typeErrors = new ArrayList<>();

  private YamlDecoder() {}

  static Decoded decode(String content) {
    Node root;
    try {
      LoadSettings settings = LoadSettings.builder()
          .setSchema(new CoreSchema())
          .setAllowDuplicateKeys(true)
          .setAllowNonScalarKeys(true)
          .setLabel("rules")
          .build();
      Iterator<Node> docs = new Compose(settings).composeAllFromString(content).iterator();
      root = docs.hasNext() ? docs.next() : null;
    } catch (YamlEngineException e) {
      // Both of Prometheus's decodes fail on the same syntax error.
      String msg = syntaxError(e);
      return new Decoded(null, List.of(msg, msg));
    }
    List<String> errors = new ArrayList<>();
    YamlDecoder strict = new YamlDecoder();
    RawRuleFile file = null;
    try {
      file = strict.decodeFile(root);
      if (!strict.typeErrors.isEmpty()) {
        errors.add(unmarshalErrors(strict.typeErrors));
      }
    } catch (Fatal f) {
      errors.add(f.getMessage());
    }
    YamlDecoder lenient = new YamlDecoder();
    lenient.checkNodeShape(root);
    if (!lenient.typeErrors.isEmpty()) {
      errors.add(unmarshalErrors(lenient.typeErrors));
    }
    return errors.isEmpty() ? new Decoded(file, List.of()) : new Decoded(null, errors);
  }

  private static String unmarshalErrors(List<String> errors) {
    return "yaml: unmarshal errors:\n  " + String.join("\n  ", errors);
  }

  // ---- syntax errors ------------------------------------------------------------------------

  /**
   * Renders a snakeyaml syntax error as yaml.v3 (libyaml) would: "yaml: line N: problem", where N
   * follows yaml.v3's quirk of printing the 0-based context line for parser errors and the
   * 1-based line for scanner errors.
   */
  static String syntaxError(YamlEngineException e) {
    if (!(e instanceof MarkedYamlEngineException m)) {
      return "yaml: " + e.getMessage();
    }
    String problemText = m.getProblem() == null ? "" : m.getProblem();
    if (problemText.startsWith("found undefined alias ")) {
      // yaml.v3 reports this while decoding, without a line.
      return "yaml: unknown anchor '" + problemText.substring("found undefined alias ".length())
          + "' referenced";
    }
    boolean scanner = e instanceof ScannerException;
    int line = 0;
    Mark context = m.getContextMark().orElse(null);
    Mark problem = m.getProblemMark().orElse(null);
    if (context != null && context.getLine() != 0) {
      line = context.getLine() + (scanner ? 1 : 0);
    } else if (problem != null && problem.getLine() != 0) {
      line = problem.getLine() + (scanner ? 1 : 0);
    }
    String where = line != 0 ? "line " + line + ": " : "";
    return "yaml: " + where + libyamlProblem(m.getContext(), m.getProblem());
  }

  private static String libyamlProblem(@Nullable String context, @Nullable String problem) {
    String ctx = context == null ? "" : context;
    String p = problem == null ? "unknown problem parsing YAML content" : problem;
    if (p.contains("cannot start any token")) {
      return "found character that cannot start any token";
    }
    if (p.startsWith("mapping values are not allowed")) {
      return "mapping values are not allowed in this context";
    }
    if (ctx.contains("block collection")) {
      return "did not find expected '-' indicator";
    }
    if (ctx.contains("block mapping")) {
      return "did not find expected key";
    }
    if (ctx.contains("flow sequence")) {
      return "did not find expected ',' or ']'";
    }
    if (ctx.contains("flow mapping")) {
      return "did not find expected ',' or '}'";
    }
    if (ctx.contains("simple key")) {
      return "could not find expected ':'";
    }
    return p;
  }

  // ---- strict decode ------------------------------------------------------------------------

  private static Position pos(Node n) {
    return n.getStartMark().map(m -> new Position(m.getLine() + 1, m.getColumn() + 1))
        .orElse(Position.NONE);
  }

  private static int line(Node n) {
    return pos(n).line();
  }

  private static boolean isNull(@Nullable Node n) {
    return n == null || (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
  }

  private static String shortTag(Node n) {
    Tag tag = n.getTag();
    String v = tag.getValue();
    if (v.startsWith(Tag.PREFIX)) {
      return "!!" + v.substring(Tag.PREFIX.length());
    }
    return v;
  }

  private void terror(Node n, String type) {
    String value = "";
    if (n instanceof ScalarNode s) {
      String v = s.getValue();
      value = v.length() > 10 ? " `" + v.substring(0, 7) + "...`" : " `" + v + "`";
    }
    typeErrors.add("line " + line(n) + ": cannot unmarshal " + shortTag(n) + value + " into "
        + type);
  }

  /** yaml.v3 rejects a mapping with repeated keys before decoding any of it. */
  private boolean hasDuplicateKeys(MappingNode m) {
    List<NodeTuple> t = m.getValue();
    int before = typeErrors.size();
    for (int i = 0; i < t.size(); i++) {
      Node ki = t.get(i).getKeyNode();
      for (int j = i + 1; j < t.size(); j++) {
        Node kj = t.get(j).getKeyNode();
        if (ki instanceof ScalarNode si && kj instanceof ScalarNode sj
            && si.getValue().equals(sj.getValue())) {
          typeErrors.add("line " + line(kj) + ": mapping key " + goQuote(sj.getValue())
              + " already defined at line " + line(ki));
        }
      }
    }
    return typeErrors.size() > before;
  }

  static String goQuote(String s) {
    return dev.vigil.rules.template.GoStrings.quote(s);
  }

  private static String keyOf(NodeTuple t) {
    return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
  }

  /** {@code n} as a mapping of {@code type}; null (after recording yaml.v3's error) when it is not one. */
  private @Nullable MappingNode mapping(@Nullable Node n, String type) {
    if (isNull(n)) {
      return null;
    }
    if (!(n instanceof MappingNode m)) {
      terror(n, type);
      return null;
    }
    return hasDuplicateKeys(m) ? null : m;
  }

  /** {@code n} as a sequence of {@code type}; null (after recording yaml.v3's error) when it is not one. */
  private @Nullable SequenceNode sequence(Node n, String type) {
    if (isNull(n)) {
      return null;
    }
    if (n instanceof SequenceNode s) {
      return s;
    }
    terror(n, type);
    return null;
  }

  private void unknownField(NodeTuple t, String type) {
    typeErrors.add("line " + line(t.getKeyNode()) + ": field " + keyOf(t) + " not found in type "
        + type);
  }

  private RawRuleFile decodeFile(@Nullable Node root) {
    List<Group> groups = new ArrayList<>();
    MappingNode m = mapping(root, FILE_TYPE);
    if (m == null) {
      return new RawRuleFile(groups);
    }
    for (NodeTuple t : m.getValue()) {
      if (keyOf(t).equals("groups")) {
        groups = decodeGroups(t.getValueNode());
      } else {
        unknownField(t, FILE_TYPE);
      }
    }
    return new RawRuleFile(groups);
  }

  private List<Group> decodeGroups(Node n) {
    List<Group> groups = new ArrayList<>();
    SequenceNode s = sequence(n, GROUPS_TYPE);
    if (s == null) {
      return groups;
    }
    for (Node item : s.getValue()) {
      Group g = decodeGroup(item);
      if (g != null) {
        groups.add(g);
      }
    }
    // yaml.v3 drops null and failed items from the typed slice but keeps them in the []yaml.Node
    // that Prometheus reads group positions from, so group j reports item j's position.
    List<Group> placed = new ArrayList<>(groups.size());
    for (int j = 0; j < groups.size(); j++) {
      Group g = groups.get(j);
      placed.add(new Group(pos(s.getValue().get(j)), g.name(), g.intervalMillis(),
          g.queryOffsetMillis(), g.limit(), g.labels(), g.rules()));
    }
    return placed;
  }

  private @Nullable Group decodeGroup(Node n) {
    String name = "";
    Long interval = null;
    Long queryOffset = null;
    long limit = 0;
    LinkedHashMap<String, String> labels = new LinkedHashMap<>();
    List<RawRule> rules = new ArrayList<>();
    MappingNode m = mapping(n, GROUP_TYPE);
    if (m == null) {
      return null;
    }
    for (NodeTuple t : m.getValue()) {
      Node v = t.getValueNode();
      switch (keyOf(t)) {
        case "name" -> name = decodeString(v);
        case "interval" -> interval = decodeDuration(v);
        case "query_offset" -> queryOffset = decodeDuration(v);
        case "limit" -> limit = decodeInt(v);
        case "rules" -> rules = decodeRules(v);
        case "labels" -> labels = decodeStringMap(v);
        default -> unknownField(t, GROUP_TYPE);
      }
    }
    return new Group(pos(n), name, interval, queryOffset, limit, labels, rules);
  }

  private List<RawRule> decodeRules(Node n) {
    List<RawRule> rules = new ArrayList<>();
    SequenceNode s = sequence(n, RULES_TYPE);
    if (s == null) {
      return rules;
    }
    for (Node item : s.getValue()) {
      RawRule r = decodeRule(item);
      if (r != null) {
        rules.add(r);
      }
    }
    return rules;
  }

  private @Nullable RawRule decodeRule(Node n) {
    Scalar record = Scalar.ABSENT;
    Scalar alert = Scalar.ABSENT;
    Scalar expr = Scalar.ABSENT;
    long forMillis = 0;
    long keepFiringFor = 0;
    LinkedHashMap<String, String> labels = new LinkedHashMap<>();
    LinkedHashMap<String, String> annotations = new LinkedHashMap<>();
    MappingNode m = mapping(n, RULE_TYPE);
    if (m == null) {
      return null;
    }
    for (NodeTuple t : m.getValue()) {
      Node v = t.getValueNode();
      switch (keyOf(t)) {
        case "record" -> record = node(v);
        case "alert" -> alert = node(v);
        case "expr" -> expr = node(v);
        case "for" -> forMillis = nullToZero(decodeDuration(v));
        case "keep_firing_for" -> keepFiringFor = nullToZero(decodeDuration(v));
        case "labels" -> labels = decodeStringMap(v);
        case "annotations" -> annotations = decodeStringMap(v);
        default -> unknownField(t, RULE_TYPE);
      }
    }
    return new RawRule(record, alert, expr, forMillis, keepFiringFor, labels, annotations);
  }

  private static long nullToZero(@Nullable Long v) {
    return v == null ? 0 : v;
  }

  /** A yaml.Node field: any node is accepted; only scalars carry a value. */
  private static Scalar node(Node n) {
    String value = n instanceof ScalarNode s && !isNull(s) ? s.getValue() : "";
    return new Scalar(value, pos(n));
  }

  private String decodeString(Node n) {
    if (isNull(n)) {
      return "";
    }
    if (n instanceof ScalarNode s) {
      return s.getValue();
    }
    terror(n, "string");
    return "";
  }

  private long decodeInt(Node n) {
    if (isNull(n)) {
      return 0;
    }
    if (n instanceof ScalarNode f && f.getTag().equals(Tag.FLOAT)) {
      // yaml.v3 truncates a float that fits into the int field.
      try {
        double d = Double.parseDouble(f.getValue().replace("_", ""));
        if (d <= Long.MAX_VALUE && d >= Long.MIN_VALUE) {
          return (long) d;
        }
      } catch (NumberFormatException e) {
        // .inf, .nan and friends: fall through to the type error.
      }
    }
    if (n instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
      String v = s.getValue().replace("_", "");
      try {
        if (v.startsWith("0x") || v.startsWith("0X")) {
          return Long.parseLong(v.substring(2), 16);
        }
        if (v.startsWith("0o")) {
          return Long.parseLong(v.substring(2), 8);
        }
        return Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
      } catch (NumberFormatException e) {
        terror(n, "int");
        return 0;
      }
    }
    terror(n, "int");
    return 0;
  }

  /** model.Duration's UnmarshalYAML: decode a string, then parse it (errors are fatal). */
  private @Nullable Long decodeDuration(Node n) {
    if (isNull(n)) {
      return null;
    }
    if (!(n instanceof ScalarNode s)) {
      terror(n, "string");
      return null;
    }
    try {
      return PromDuration.parseMillis(s.getValue());
    } catch (IllegalArgumentException e) {
      throw new Fatal(e.getMessage());
    }
  }

  private LinkedHashMap<String, String> decodeStringMap(Node n) {
    LinkedHashMap<String, String> map = new LinkedHashMap<>();
    MappingNode m = mapping(n, MAP_TYPE);
    if (m == null) {
      return map;
    }
    for (NodeTuple t : m.getValue()) {
      String key = decodeString(t.getKeyNode());
      map.put(key, decodeString(t.getValueNode()));
    }
    return map;
  }

  // ---- lenient decode -----------------------------------------------------------------------

  private void checkNodeShape(@Nullable Node root) {
    MappingNode m = mapping(root, "rulefmt.ruleGroups");
    if (m == null) {
      return;
    }
    for (NodeTuple t : m.getValue()) {
      if (keyOf(t).equals("groups")) {
        Node v = t.getValueNode();
        if (!isNull(v) && !(v instanceof SequenceNode)) {
          terror(v, "[]yaml.Node");
        }
      }
    }
  }
}
