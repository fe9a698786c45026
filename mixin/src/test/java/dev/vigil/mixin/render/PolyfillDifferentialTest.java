package dev.vigil.mixin.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.mixin.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every polyfilled std function, evaluated by Vigil and by the C++ jsonnet: same values. */
class PolyfillDifferentialTest {
  /** Functions Debian's jsonnet 0.18 has too: compared with its output. */
  static final Map<String, String> CASES = new LinkedHashMap<>();

  /** Functions newer than jsonnet 0.18: expression -> value from the 0.20 std library manual. */
  static final Map<String, String> NEWER = new LinkedHashMap<>();

  static {
    CASES.put("get", "[std.get({a: 1}, 'a'), std.get({a: 1}, 'b'), std.get({a: 1}, 'b', 7), std.get({a:: 2}, 'a'), std.get({a:: 2}, 'a', 3, false)]");
    CASES.put("member", "[std.member([1, 2], 2), std.member('hello', 'll'), std.member('hello', 'x'), std.member([], 1)]");
    CASES.put("thisFile", "std.length(std.thisFile) > 0");
    CASES.put("yaml", "std.manifestYamlDoc({a: [1, {b: 'x\\ny'}], c: {}, d: [], e: 'plain', f: null, g: true, h: 1.5})");
    CASES.put("yamlStream", "std.manifestYamlStream([{a: 1}, [1, 2]])");
    CASES.put("format", "['%05.2f|%s|%d' % [3.14159, 'x', 42], std.toString({a: [1, 'b']})]");
    CASES.put("sortUniq", "[std.sort([3, 1, 2]), std.uniq([1, 1, 2]), std.set([2, 1, 2])]");

    NEWER.put("[std.any([]), std.any([false, true]), std.any([false])]", "[false, true, false]");
    NEWER.put("[std.all([]), std.all([true, true]), std.all([true, false])]", "[true, true, false]");
    NEWER.put("[std.sum([]), std.sum([1, 2, 3.5]), std.avg([1, 2, 4])]", "[0, 6.5, 2.3333333333333335]");
    NEWER.put("[std.minArray([3, 1, 2]), std.maxArray([3, 1, 2]), std.minArray(['b', 'a']), std.maxArray([{v: 1}, {v: 5}], keyF=function(x) x.v), std.minArray([], onEmpty='none')]",
        "[1, 3, \"a\", {\"v\": 5}, \"none\"]");
    NEWER.put("[std.trim('  a b \\n\\t'), std.trim(''), std.trim('x')]", "[\"a b\", \"\", \"x\"]");
    NEWER.put("[std.contains([1, 2], 2), std.contains([1, 2], 3)]", "[true, false]");
    NEWER.put("[std.remove([1, 2, 1], 1), std.remove([1], 5), std.removeAt([1, 2, 3], 1), std.removeAt([1], 4)]",
        "[[2, 1], [1], [1, 3], [1]]");
    NEWER.put("std.objectRemoveKey({a: 1, b: 2, c:: 3}, 'a')", "{\"b\": 2}");
    NEWER.put("[std.equalsIgnoreCase('AbC', 'aBc'), std.equalsIgnoreCase('a', 'b'), std.isEmpty(''), std.isEmpty('a')]",
        "[true, false, true, false]");
    NEWER.put("std.flattenDeepArray([1, [2, [3, [4]], []], 5])", "[1, 2, 3, 4, 5]");
    NEWER.put("[std.splitLimitR('a.b.c', '.', 1), std.splitLimitR('a.b.c', '.', -1), std.splitLimitR('a::b::c', '::', 1)]",
        "[[\"a.b\", \"c\"], [\"a\", \"b\", \"c\"], [\"a::b\", \"c\"]]");
    NEWER.put("std.objectKeysValues({b: 2, a: 1, h:: 3})", "[{\"key\": \"a\", \"value\": 1}, {\"key\": \"b\", \"value\": 2}]");
  }

  @Test
  void newerFunctionsFollowTheManual(@TempDir Path dir) {
    JsonnetEngine engine = new JsonnetEngine(List.of());
    NEWER.forEach((expr, want) -> assertThat(engine.evaluate(expr, dir.resolve("x.jsonnet")))
        .as(expr).isEqualTo(Json.parse(want, "expected")));
  }

  @Test
  void polyfilledFunctionsMatchCppJsonnet(@TempDir Path dir) throws Exception {
    StringBuilder code = new StringBuilder("{\n");
    CASES.forEach((k, v) -> code.append("  ").append(k).append(": ").append(v).append(",\n"));
    code.append("}\n");
    Path file = dir.resolve("cases.jsonnet");
    Files.writeString(file, code);

    Object vigil = new JsonnetEngine(List.of()).evaluate(code.toString(), file);
    Object cpp = Json.parse(CppJsonnet.run(dir, "cases.jsonnet"), "jsonnet output");

    assertThat(new java.util.TreeSet<Object>(((Map<?, ?>) vigil).keySet())).isEqualTo(new java.util.TreeSet<Object>(CASES.keySet()));
    for (String k : CASES.keySet()) {
      assertThat(((Map<?, ?>) vigil).get(k)).as(k + ": " + CASES.get(k)).isEqualTo(((Map<?, ?>) cpp).get(k));
    }
  }
}
