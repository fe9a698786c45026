package dev.vigil.tsdb.tenant;

import java.nio.file.Path;

/**
 * Where a tenant's database lives in a multi-tenant data directory
 * ({@code <data>/tenants/<tenant>}), and which tenant IDs may name one. The server, which opens
 * and closes the databases, and the offline commands ({@code tsdb analyze}, {@code tsdb import})
 * share this one layout.
 */
public final class TenantDirectories {
  public static final String TENANTS_DIR = "tenants";
  /** As Mimir's (dskit's) limit on an org ID. */
  public static final int MAX_TENANT_ID_LENGTH = 150;
  /** The characters dskit allows besides ASCII letters and digits. */
  private static final String ALLOWED_PUNCTUATION = "!-_.*'()";

  private TenantDirectories() {}

  /** The directory holding every tenant's database. */
  public static Path tenantsDir(Path dataDir) {
    return dataDir.resolve(TENANTS_DIR);
  }

  /** The database directory of {@code tenant}, which must be a valid ID (see {@link #problem}). */
  public static Path tenantDir(Path dataDir, String tenant) {
    String problem = problem(tenant);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return tenantsDir(dataDir).resolve(tenant);
  }

  /**
   * Why {@code id} is not a valid tenant ID, or null. The rules and messages are dskit's; they
   * also make every valid ID a safe single path segment (no separators, not "." or "..").
   */
  public static String problem(String id) {
    if (id == null || id.isEmpty()) {
      return "tenant ID is empty";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || ALLOWED_PUNCTUATION.indexOf(c) >= 0;
      if (!ok) {
        return "tenant ID '" + id + "' contains unsupported character '" + c + "'";
      }
    }
    if (id.length() > MAX_TENANT_ID_LENGTH) {
      return "tenant ID is too long: max " + MAX_TENANT_ID_LENGTH + " characters";
    }
    if (id.equals(".") || id.equals("..")) {
      return "tenant ID is '.' or '..'";
    }
    return null;
  }
}
