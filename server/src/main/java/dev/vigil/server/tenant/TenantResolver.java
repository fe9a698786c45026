package dev.vigil.server.tenant;

import dev.vigil.tsdb.tenant.TenantDirectories;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads the tenant(s) of a request from {@code X-Scope-OrgID} as Mimir does. With multi-tenancy
 * on, a missing header is {@code 401 no org id}; with it off every request belongs to the
 * configured no-auth tenant ({@code anonymous}). IDs: at most 150 characters of
 * {@code a-z A-Z 0-9 ! - _ . * ' ( )}, never {@code .} or {@code ..}; reads may name several
 * tenants joined by {@code |} (sorted and de-duplicated, as dskit normalises them).
 */
public final class TenantResolver {
  public static final String HEADER = "X-Scope-OrgID";
  public static final String DEFAULT_NO_AUTH_TENANT = "anonymous";
  public static final int MAX_TENANT_ID_LENGTH = TenantDirectories.MAX_TENANT_ID_LENGTH;

  private final boolean multitenancy;
  private final String noAuthTenant;

  public TenantResolver(boolean multitenancy, String noAuthTenant) {
    this.multitenancy = multitenancy;
    this.noAuthTenant = noAuthTenant;
    if (!multitenancy) {
      String problem = problem(noAuthTenant);
      if (problem != null) {
        throw new IllegalArgumentException("invalid no-auth tenant: " + problem);
      }
    }
  }

  public boolean multitenancy() {
    return multitenancy;
  }

  /** The one tenant a write goes to. */
  public String writeTenant(String header) throws TenantException {
    List<String> ids = readTenants(header);
    if (ids.size() != 1) {
      throw new TenantException(400, "multiple org IDs present: writes go to exactly one tenant, "
          + "got " + String.join("|", ids));
    }
    return ids.get(0);
  }

  /** The tenants a read covers: one, or several for a federated query. */
  public List<String> readTenants(String header) throws TenantException {
    if (!multitenancy) {
      return List.of(noAuthTenant);
    }
    if (header == null || header.isEmpty()) {
      throw new TenantException(401, "no org id");
    }
    TreeSet<String> ids = new TreeSet<>();
    int from = 0;
    while (true) {
      int bar = header.indexOf('|', from);
      String id = bar < 0 ? header.substring(from) : header.substring(from, bar);
      String problem = problem(id);
      if (problem != null) {
        throw new TenantException(400, problem);
      }
      ids.add(id);
      if (bar < 0) {
        break;
      }
      from = bar + 1;
    }
    return new ArrayList<>(ids);
  }

  /** Why {@code id} is not a valid tenant ID, or null. Messages follow dskit's. */
  static String problem(String id) {
    return TenantDirectories.problem(id);
  }
}
