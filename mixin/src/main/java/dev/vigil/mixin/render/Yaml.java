package dev.vigil.mixin.render;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/**
 * YAML for the manifests: block style, map order as given (callers pass sorted or fixed-order
 * maps, so output is deterministic), multi-line strings as literal blocks so PromQL and dashboard
 * JSON stay readable in Git diffs.
 */
final class Yaml {
  private Yaml() {}

  static String dump(Object doc) {
    DumpSettings settings = DumpSettings.builder()
        .setDefaultFlowStyle(FlowStyle.BLOCK)
        .setWidth(Integer.MAX_VALUE)
        .setSplitLines(false)
        .build();
    return new Dump(settings, new LiteralRepresenter(settings)).dumpToString(doc);
  }

  private static final class LiteralRepresenter extends StandardRepresenter {
    LiteralRepresenter(DumpSettings settings) {
      super(settings);
      this.representers.put(String.class, data -> {
        String s = (String) data;
        // The emitter falls back to a quoted style by itself when a block is impossible.
        ScalarStyle style = s.indexOf('\n') >= 0 ? ScalarStyle.LITERAL : ScalarStyle.PLAIN;
        return representScalar(Tag.STR, s, style);
      });
    }
  }

}
