package dev.vigil.app;

import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The Prometheus part of {@code vigil server --config.file}: the file is in Mimir's layout, and
 * may also hold Prometheus's {@code global}, {@code scrape_configs} and {@code remote_write}
 * sections for local scraping. The collector's strict loader reads those sections from a copy
 * of the file in which every other top-level entry is blanked out character for character, so
 * its error positions are positions in the user's file.
 */
final class PrometheusSections {
  /** Top-level keys that belong to the collector, not to Mimir's layout. */
  static final Set<String> KEYS = Set.of("global", "scrape_configs", "remote_write");

  private PrometheusSections() {}

  /**
   * {@code yaml} with only the Prometheus sections left, or null when it has none.
   *
   * @throws IllegalArgumentException when the file is not YAML
   */
  static String extract(String yaml, String source) {
    Node root;
    try {
      root = new Compose(LoadSettings.builder().setLabel(source).build()).composeString(yaml).orElse(null);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("config file " + source + " is not valid YAML: " + e.getMessage(), e);
    }
    if (!(root instanceof MappingNode top)) {
      return null;
    }
    int[] text = yaml.codePoints().toArray();
    boolean any = false;
    for (NodeTuple t : top.getValue()) {
      Node k = t.getKeyNode();
      if (k instanceof ScalarNode s && KEYS.contains(s.getValue())) {
        any = true;
        continue;
      }
      int from = k.getStartMark().map(m -> m.getIndex()).orElse(0);
      int to = t.getValueNode().getEndMark().map(m -> m.getIndex()).orElse(from);
      for (int i = from; i < to && i < text.length; i++) {
        if (text[i] != '\n' && text[i] != '\r') {
          text[i] = ' ';
        }
      }
    }
    return any ? new String(text, 0, text.length) : null;
  }
}
