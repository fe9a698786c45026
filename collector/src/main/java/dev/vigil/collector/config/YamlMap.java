package dev.vigil.collector.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Strict reading of one YAML mapping into a config record, like go-yaml's
 * {@code UnmarshalStrict}: every key must be read (or declared ignored) before {@link #finish()},
 * duplicate keys are refused, and every error names the node's {@code line:column}.
 */
final class YamlMap {
  private final Node node;
  private final String typeName;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> used = new HashSet<>();

  /** {@code node} null or YAML null means an empty mapping. */
  YamlMap(Node node, String typeName) {
    this.node = node;
    this.typeName = typeName;
    if (node == null || isNull(node)) {
      return;
    }
    if (!(node instanceof MappingNode m)) {
      throw error(node, "cannot unmarshal " + describe(node) + " into " + typeName);
    }
    for (NodeTuple t : m.getValue()) {
      String key = scalarText(t.getKeyNode(), "key of " + typeName);
      if (entries.containsKey(key)) {
        throw error(t.getKeyNode(), "mapping key " + PrometheusDuration.quote(key) + " already defined at line "
            + line(entries.get(key).getKeyNode()));
      }
      entries.put(key, t);
    }
  }

  Node node() {
    return node;
  }

  boolean has(String key) {
    NodeTuple t = entries.get(key);
    return t != null && !isNull(t.getValueNode());
  }

  /** The value node, or null when absent or YAML null. */
  Node get(String key) {
    used.add(key);
    NodeTuple t = entries.get(key);
    return t == null || isNull(t.getValueNode()) ? null : t.getValueNode();
  }

  /** The key node (for errors about a field), or the mapping itself. */
  Node keyNode(String key) {
    NodeTuple t = entries.get(key);
    return t != null ? t.getKeyNode() : node;
  }

  String string(String key, String dflt) {
    Node n = get(key);
    return n == null ? dflt : scalarText(n, key);
  }

  boolean bool(String key, boolean dflt) {
    Node n = get(key);
    if (n == null) {
      return dflt;
    }
    String s = scalarText(n, key);
    return switch (s) {
      case "true", "True", "TRUE", "yes", "on" -> true;
      case "false", "False", "FALSE", "no", "off" -> false;
      default -> throw error(n, "cannot unmarshal !!str `" + s + "` into bool");
    };
  }

  long unsigned(String key, long dflt) {
    Node n = get(key);
    if (n == null) {
      return dflt;
    }
    String s = scalarText(n, key);
    try {
      long v = Long.parseUnsignedLong(s);
      return v;
    } catch (NumberFormatException e) {
      throw error(n, "cannot unmarshal !!" + tagName(n) + " `" + s + "` into uint");
    }
  }

  Duration duration(String key, Duration dflt) {
    Node n = get(key);
    if (n == null) {
      return dflt;
    }
    try {
      return PrometheusDuration.parse(scalarText(n, key));
    } catch (IllegalArgumentException e) {
      throw error(n, e.getMessage());
    }
  }

  long byteSize(String key, long dflt) {
    Node n = get(key);
    if (n == null) {
      return dflt;
    }
    try {
      return ByteSize.parse(scalarText(n, key));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw error(n, e.getMessage());
    }
  }

  List<String> strings(String key) {
    Node n = get(key);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof SequenceNode seq)) {
      throw error(n, "cannot unmarshal " + describe(n) + " into []string");
    }
    List<String> out = new ArrayList<>(seq.getValue().size());
    for (Node item : seq.getValue()) {
      out.add(scalarText(item, key));
    }
    return List.copyOf(out);
  }

  Map<String, String> stringMap(String key) {
    Node n = get(key);
    if (n == null) {
      return Map.of();
    }
    YamlMap m = new YamlMap(n, "map[string]string");
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : m.entries.entrySet()) {
      Node v = e.getValue().getValueNode();
      out.put(e.getKey(), isNull(v) ? "" : scalarText(v, e.getKey()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Each element of a sequence, decoded by {@code item}; null elements reported with {@code nullMessage}. */
  <T> List<T> list(String key, Function<Node, T> item, String nullMessage) {
    Node n = get(key);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof SequenceNode seq)) {
      throw error(n, "cannot unmarshal " + describe(n) + " into a list for " + key);
    }
    List<T> out = new ArrayList<>(seq.getValue().size());
    for (Node element : seq.getValue()) {
      if (isNull(element)) {
        throw error(element, nullMessage);
      }
      out.add(item.apply(element));
    }
    return List.copyOf(out);
  }

  /** Marks fields that Prometheus knows and we accept without using. */
  YamlMap ignore(String... keys) {
    for (String k : keys) {
      used.add(k);
    }
    return this;
  }

  /** @throws ConfigException for the first key that was never read */
  void finish() {
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      if (!used.contains(e.getKey())) {
        throw error(e.getValue().getKeyNode(), "field " + e.getKey() + " not found in type " + typeName);
      }
    }
  }

  // ---- node helpers ----

  static boolean isNull(Node n) {
    return n instanceof ScalarNode && Tag.NULL.equals(n.getTag());
  }

  static String scalarText(Node n, String what) {
    if (!(n instanceof ScalarNode s)) {
      throw error(n, "cannot unmarshal " + describe(n) + " into string (" + what + ")");
    }
    return s.getValue();
  }

  private static String tagName(Node n) {
    String t = n.getTag().getValue();
    int i = t.lastIndexOf(':');
    return i >= 0 ? t.substring(i + 1) : t;
  }

  private static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "!!map";
    }
    if (n instanceof SequenceNode) {
      return "!!seq";
    }
    return "!!" + tagName(n) + " `" + ((ScalarNode) n).getValue() + "`";
  }

  static int line(Node n) {
    return n.getStartMark().map(Mark::getLine).orElse(-1) + 1;
  }

  static ConfigException error(Node n, String message) {
    if (n == null) {
      return new ConfigException(0, 0, message);
    }
    Mark m = n.getStartMark().orElse(null);
    return m == null ? new ConfigException(0, 0, message)
        : new ConfigException(m.getLine() + 1, m.getColumn() + 1, message);
  }
}
