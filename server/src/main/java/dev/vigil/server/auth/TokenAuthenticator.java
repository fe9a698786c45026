package dev.vigil.server.auth;

import dev.vigil.server.http.Authenticator;
import dev.vigil.server.http.BodyTooLargeException;
import dev.vigil.server.http.HttpCall;
import dev.vigil.server.http.HttpReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Per-tenant tokens, as hosted Mimir/Grafana Cloud take them: HTTP basic auth with the tenant ID
 * as user name and a token as password, or {@code Authorization: Bearer <token>}. The file:
 *
 * <pre>
 * tenants:
 *   team-a:
 *     tokens: [s3cret, rotated-s3cret]
 * </pre>
 *
 * A request without {@code X-Scope-OrgID} gets the authenticated tenant; one with it may only
 * name that tenant (also in {@code a|b}). Health endpoints stay open. Tokens are compared in
 * constant time. Unauthenticated: 401 with {@code WWW-Authenticate}; a foreign tenant: 403.
 */
public final class TokenAuthenticator implements Authenticator {
  private static final String TENANT_HEADER = "X-Scope-OrgID";
  private static final Set<String> OPEN = Set.of("/ready", "/-/ready", "/-/healthy");

  private final Map<String, List<byte[]>> tokensByTenant;

  private TokenAuthenticator(Map<String, List<byte[]>> tokensByTenant) {
    this.tokensByTenant = tokensByTenant;
  }

  /** @throws IllegalArgumentException naming the file and the problem */
  public static TokenAuthenticator load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read auth file " + file + ": " + e, e);
    }
    Object root;
    try {
      root = new Load(LoadSettings.builder().setLabel(file.toString()).build())
          .loadFromString(text);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("auth file " + file + " is not valid YAML: "
          + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> top) || !(top.get("tenants") instanceof Map<?, ?> tenants)) {
      throw new IllegalArgumentException("auth file " + file
          + ": expected 'tenants:' mapping tenant IDs to {tokens: [...]}");
    }
    Map<String, List<byte[]>> out = new HashMap<>();
    for (var e : tenants.entrySet()) {
      String tenant = String.valueOf(e.getKey());
      if (!(e.getValue() instanceof Map<?, ?> m) || !(m.get("tokens") instanceof List<?> list)
          || list.isEmpty()) {
        throw new IllegalArgumentException("auth file " + file + ": tenant '" + tenant
            + "' needs a non-empty 'tokens' list");
      }
      List<byte[]> tokens = new ArrayList<>();
      for (Object t : list) {
        String s = String.valueOf(t);
        if (s.length() < 8) {
          throw new IllegalArgumentException("auth file " + file + ": a token of tenant '"
              + tenant + "' is shorter than 8 characters");
        }
        tokens.add(s.getBytes(StandardCharsets.UTF_8));
      }
      out.put(tenant, List.copyOf(tokens));
    }
    return new TokenAuthenticator(Map.copyOf(out));
  }

  @Override
  public HttpCall authenticate(HttpCall call) throws Refused {
    if (OPEN.contains(call.path())) {
      return call;
    }
    String tenant = tenantOf(call.header("Authorization"));
    if (tenant == null) {
      throw new Refused(HttpReply.text(401, "authentication required: HTTP basic auth with the "
          + "tenant as user and a token as password, or a bearer token")
          .withHeaders("WWW-Authenticate", "Basic realm=\"vigil\""));
    }
    String asked = call.header(TENANT_HEADER);
    if (asked == null || asked.isEmpty()) {
      return new WithTenant(call, tenant);
    }
    for (String t : asked.split("\\|", -1)) {
      if (!t.equals(tenant)) {
        throw new Refused(HttpReply.text(403, "these credentials are for tenant '" + tenant
            + "', not '" + t + "'"));
      }
    }
    return call;
  }

  /** The tenant the credentials prove, or null. */
  private String tenantOf(String authorization) {
    if (authorization == null) {
      return null;
    }
    String a = authorization.trim();
    if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(a.substring(6).trim()),
            StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return null;
      }
      String user = decoded.substring(0, colon);
      List<byte[]> tokens = tokensByTenant.get(user);
      return tokens != null && matches(tokens, decoded.substring(colon + 1)) ? user : null;
    }
    if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = a.substring(7).trim();
      for (var e : tokensByTenant.entrySet()) {
        if (matches(e.getValue(), token)) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  private static boolean matches(List<byte[]> tokens, String candidate) {
    byte[] c = candidate.getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (byte[] t : tokens) {
      ok |= MessageDigest.isEqual(t, c); // no early exit: timing does not tell which
    }
    return ok;
  }

  /** The call with the tenant header filled in. */
  private record WithTenant(HttpCall call, String tenant) implements HttpCall {
    @Override
    public String method() {
      return call.method();
    }

    @Override
    public String path() {
      return call.path();
    }

    @Override
    public String rawPath() {
      return call.rawPath();
    }

    @Override
    public String query() {
      return call.query();
    }

    @Override
    public String pathParam() {
      return call.pathParam();
    }

    @Override
    public String header(String name) {
      return name.equalsIgnoreCase(TENANT_HEADER) ? tenant : call.header(name);
    }

    @Override
    public byte[] body(int maxBytes) throws IOException, BodyTooLargeException {
      return call.body(maxBytes);
    }
  }
}
