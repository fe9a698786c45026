package dev.vigil.promql.promqltest;

import dev.vigil.promql.parser.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a test script into {@link Command}s, with the syntax of Prometheus's promqltest (see the
 * conformance suite's FORMAT.md), including the deprecated {@code eval_fail}/{@code eval_warn}/
 * {@code eval_info}/{@code eval_ordered} forms and {@code expected_fail_message}/{@code
 * expected_fail_regexp}.
 */
public final class TestScriptParser {
  private static final Pattern SPACE = Pattern.compile("[\\t ]+");
  private static final Pattern LOAD = Pattern.compile("^load(?:_(with_nhcb))?\\s+(.+?)$");
  private static final Pattern EVAL_INSTANT = Pattern.compile(
      "^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
  private static final Pattern EVAL_RANGE = Pattern.compile(
      "^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
  private static final Pattern EXPECT = Pattern.compile(
      "^expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?$");
  private static final Pattern EXPECT_RANGE = Pattern.compile(
      "^expect range vector\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+)$");
  private static final String EXPECT_STRING = "expect string";

  private TestScriptParser() {}

  /**
   * Parses a whole script.
   *
   * @throws ScriptException for a malformed command (Prometheus rejects the whole file then)
   */
  public static List<Command> parse(String input) {
    String[] lines = input.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      lines[i] = l.startsWith("#") ? "" : l;
    }
    List<Command> cmds = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.isEmpty()) {
        continue;
      }
      String word = SPACE.split(l, 2)[0].toLowerCase(Locale.ROOT);
      if (word.equals("clear")) {
        cmds.add(new Command.Clear(i + 1));
      } else if (word.startsWith("load")) {
        i = parseLoad(lines, i, cmds);
      } else if (word.startsWith("eval")) {
        i = parseEval(lines, i, cmds);
      } else {
        throw new ScriptException(i + 1, "invalid command \"" + l + "\"");
      }
    }
    return cmds;
  }

  private static int parseLoad(String[] lines, int i, List<Command> cmds) {
    Matcher m = LOAD.matcher(lines[i]);
    if (!m.matches()) {
      throw new ScriptException(i + 1, "invalid load command. (load[_with_nhcb] <step:duration>)");
    }
    long interval = duration(m.group(2), i, "step");
    List<SeriesDescription> series = new ArrayList<>();
    StartTimestampLine.Parsed pendingStart = null;
    int pendingStartLine = 0;
    while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
      i++;
      if (StartTimestampLine.matches(lines[i])) {
        if (pendingStart != null) {
          throw new ScriptException(pendingStartLine, "@st line has no following sample line");
        }
        pendingStart = StartTimestampLine.parse(lines[i], i + 1);
        pendingStartLine = i + 1;
        continue;
      }
      SeriesDescription sd = SeriesDescriptionParser.parse(lines[i], i + 1);
      if (pendingStart != null) {
        if (!pendingStart.labels().equals(sd.labels())) {
          throw new ScriptException(pendingStartLine,
              "@st metric does not match the following sample line metric");
        }
        if (pendingStart.offsets().size() != sd.values().size()) {
          throw new ScriptException(pendingStartLine, "@st line has "
              + pendingStart.offsets().size() + " values but sample line has "
              + sd.values().size());
        }
        sd = new SeriesDescription(sd.labels(), sd.values(), pendingStart.offsets());
        pendingStart = null;
      }
      series.add(sd);
    }
    if (pendingStart != null) {
      throw new ScriptException(pendingStartLine, "@st line has no following sample line");
    }
    cmds.add(new Command.Load(
        series.isEmpty() ? i + 1 : i + 1 - series.size(), interval, m.group(1) != null, series));
    return i;
  }

  private static int parseEval(String[] lines, int i, List<Command> cmds) {
    Matcher inst = EVAL_INSTANT.matcher(lines[i]);
    Matcher rng = EVAL_RANGE.matcher(lines[i]);
    boolean isInstant = inst.matches();
    if (!isInstant && !rng.matches()) {
      throw new ScriptException(i + 1, "invalid evaluation command. Must be either "
          + "'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or "
          + "'eval[_fail|_warn] range from <from> to <to> step <step> <query>'");
    }
    String mod = isInstant ? inst.group(1) : rng.group(1);
    String expr = isInstant ? inst.group(3) : rng.group(5);
    Command.Eval cmd = new Command.Eval(i + 1, expr, !isInstant);
    if (isInstant) {
      String at = inst.group(2);
      cmd.evalTime = at == null ? 0 : duration(at, i, "timestamp");
      cmd.start = cmd.evalTime;
    } else {
      cmd.start = duration(rng.group(2), i, "start timestamp");
      cmd.end = duration(rng.group(3), i, "end timestamp");
      if (cmd.end < cmd.start) {
        throw new ScriptException(i + 1, "invalid test definition, end timestamp ("
            + rng.group(3) + ") is before start timestamp (" + rng.group(2) + ")");
      }
      cmd.step = duration(rng.group(4), i, "step");
    }
    if (mod != null) {
      switch (mod) {
        case "ordered" -> cmd.legacyOrdered = true;
        case "fail" -> cmd.legacyFail = true;
        case "warn" -> cmd.legacyWarn = true;
        case "info" -> cmd.legacyInfo = true;
        default -> throw new IllegalStateException(mod);
      }
    }
    boolean expectRangeVector = false;
    int position = 0;
    while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
      i++;
      String def = lines[i];
      try {
        if (cmd.isFail() && def.startsWith("expected_fail_message")) {
          cmd.expectedFailMessage = def.substring("expected_fail_message".length()).strip();
          break;
        }
        if (cmd.isFail() && def.startsWith("expected_fail_regexp")) {
          cmd.expectedFailRegexp =
              Pattern.compile(def.substring("expected_fail_regexp".length()).strip());
          break;
        }
        if (def.startsWith("expect range vector")) {
          Matcher m = EXPECT_RANGE.matcher(def);
          if (!m.matches()) {
            throw new ScriptException(i + 1, "invalid range vector definition \"" + def + "\"");
          }
          expectRangeVector = true;
          cmd.start = duration(m.group(1), i, "start timestamp");
          cmd.end = duration(m.group(2), i, "end timestamp");
          cmd.step = duration(m.group(3), i, "step");
          cmd.evalTime = cmd.end;
          cmd.excludeFromRangeQuery = true;
          continue;
        }
        if (def.startsWith(EXPECT_STRING)) {
          String lit = def.substring(EXPECT_STRING.length()).strip();
          if (lit.isEmpty()) {
            throw new ScriptException(i + 1,
                "expected string literal not valid - a quoted string literal is required");
          }
          cmd.expectedString = StringLiterals.unquote(lit);
          cmd.excludeFromRangeQuery = true;
          continue;
        }
        if (def.split(" ", -1)[0].equals("expect")) {
          parseExpect(def, cmd, i);
          continue;
        }
        Double number = tryNumber(def);
        if (number != null) {
          cmd.expectScalar = true;
          cmd.expected.clear();
          cmd.expected.add(new Command.ExpectedSeries(
              null, List.of(SequenceValue.ofFloat(number)), ++position));
          break;
        }
        SeriesDescription sd = SeriesDescriptionParser.parse(def, i + 1);
        if (sd.values().size() > 1 && isInstant && !expectRangeVector) {
          throw new ScriptException(i + 1, "expecting multiple values in instant evaluation not "
              + "allowed. consider using 'expect range vector' directive to enable a range "
              + "vector result for an instant query");
        }
        cmd.expectScalar = false;
        cmd.expected.add(new Command.ExpectedSeries(sd.labels(), sd.values(), ++position));
      } catch (ScriptException | IllegalArgumentException e) {
        // One bad expectation line fails this eval only; skip the rest of its block.
        if (cmd.setupError == null) {
          cmd.setupError = "line " + (i + 1) + ": " + e.getMessage();
        }
      }
    }
    cmds.add(cmd);
    return i;
  }

  private static void parseExpect(String def, Command.Eval cmd, int i) {
    Matcher m = EXPECT.matcher(def.strip());
    if (!m.matches()) {
      throw new ScriptException(i + 1, "invalid expect statement, must match "
          + "`expect <type> <match_type>: <string>` format");
    }
    Command.ExpectType type = Command.ExpectType.valueOf(m.group(1).toUpperCase(Locale.ROOT));
    Command.Expectation e;
    if (m.group(2) == null) {
      e = new Command.Expectation(null, Pattern.compile("^.*$"));
    } else if (m.group(2).equals("msg")) {
      e = new Command.Expectation(m.group(3).strip(), null);
    } else {
      try {
        e = new Command.Expectation(null, Pattern.compile(m.group(3).strip()));
      } catch (PatternSyntaxException ex) {
        throw new ScriptException(i + 1, "invalid regex " + m.group(3).strip() + " for " + m.group(1));
      }
    }
    cmd.expects.computeIfAbsent(type, k -> new ArrayList<>()).add(e);
    if (!cmd.expects(Command.ExpectType.INFO).isEmpty()
        && !cmd.expects(Command.ExpectType.NO_INFO).isEmpty()) {
      throw new ScriptException(i + 1, "invalid expect lines, info and no_info cannot be used together");
    }
    if (!cmd.expects(Command.ExpectType.WARN).isEmpty()
        && !cmd.expects(Command.ExpectType.NO_WARN).isEmpty()) {
      throw new ScriptException(i + 1, "invalid expect lines, warn and no_warn cannot be used together");
    }
    if (cmd.expects(Command.ExpectType.FAIL).size() > 1) {
      throw new ScriptException(i + 1, "invalid expect lines, multiple expect fail lines are not allowed");
    }
  }

  private static Double tryNumber(String s) {
    try {
      return ResultFormat.parseNumber(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long duration(String s, int line, String what) {
    try {
      return Parser.parseDuration(s.strip());
    } catch (RuntimeException e) {
      throw new ScriptException(line + 1, "invalid " + what + " definition \"" + s + "\": "
          + e.getMessage());
    }
  }
}
