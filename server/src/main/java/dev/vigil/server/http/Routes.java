package dev.vigil.server.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Path-to-endpoint table, exact paths plus a few {@code {name}} templates, each with a route
 * name for metrics (Mimir style: {@code prometheus_api_v1_query}). Built once, then read-only.
 */
public final class Routes {
  /** A matched route: its metric name, endpoint, allowed methods and path parameter (or null). */
  public record Match(String name, Endpoint endpoint, Set<String> methods, String param) {}

  private record Template(String prefix, String suffix, String name, Endpoint endpoint,
      Set<String> methods) {}

  private final Map<String, Match> exact = new HashMap<>();
  private final List<Template> templates = new java.util.ArrayList<>();
  private final List<Template> prefixes = new java.util.ArrayList<>();

  /**
   * Registers {@code path}; a path with {@code {x}} matches one segment there, and a path
   * ending in {@code /**} matches everything below it (the rest is the parameter; endpoints
   * split it themselves, from {@link HttpCall#rawPath()}).
   */
  public Routes add(String path, Set<String> methods, Endpoint endpoint) {
    if (path.endsWith("/**")) {
      String prefix = path.substring(0, path.length() - 2);
      prefixes.add(new Template(prefix, "", routeName(prefix + "rest"), endpoint, methods));
      return this;
    }
    String name = routeName(path);
    int open = path.indexOf('{');
    if (open < 0) {
      exact.put(path, new Match(name, endpoint, methods, null));
    } else {
      int close = path.indexOf('}', open);
      templates.add(new Template(path.substring(0, open), path.substring(close + 1), name,
          endpoint, methods));
    }
    return this;
  }

  public Match find(String path) {
    Match m = exact.get(path);
    if (m != null) {
      return m;
    }
    for (Template t : templates) {
      if (path.length() > t.prefix.length() + t.suffix.length() && path.startsWith(t.prefix)
          && path.endsWith(t.suffix)) {
        String param = path.substring(t.prefix.length(), path.length() - t.suffix.length());
        if (param.indexOf('/') < 0) {
          return new Match(t.name, t.endpoint, t.methods, param);
        }
      }
    }
    for (Template t : prefixes) {
      if (path.length() > t.prefix.length() && path.startsWith(t.prefix)) {
        return new Match(t.name, t.endpoint, t.methods, path.substring(t.prefix.length()));
      }
    }
    return null;
  }

  /** {@code /prometheus/api/v1/label/{name}/values} becomes {@code prometheus_api_v1_label_name_values}. */
  static String routeName(String path) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        sb.append(c);
      } else if (c == '/' || c == '-' || c == '.') {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
          sb.append('_');
        }
      }
    }
    while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') {
      sb.setLength(sb.length() - 1);
    }
    return sb.isEmpty() ? "root" : sb.toString();
  }
}
