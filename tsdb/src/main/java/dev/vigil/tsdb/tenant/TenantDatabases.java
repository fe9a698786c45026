package dev.vigil.tsdb.tenant;

import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants' databases under {@code <dataDir>/tenants/}. {@link #acquire} opens a tenant's
 * database on first use and hands out a {@link Lease}; {@link #closeIdle} closes databases with
 * no lease that were not acquired for a while, releasing their memory (they reopen, replaying
 * their WAL, on next use). Thread-safe. Time comes from the injected clock.
 */
public final class TenantDatabases implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TenantDatabases.class.getName());
  public static final String TENANTS_DIR = "tenants";
  /** As Mimir: at most 150 characters from this set, and not "." or "..". */
  private static final String ALLOWED = "!-_.*'()";

  private final Path root;
  private final TsdbOptions options;
  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> open = new ConcurrentHashMap<>();
  private boolean closed; // guarded by this

  private static final class Entry {
    final Tsdb db;
    int leases; // guarded by the entry
    long lastUsedMillis; // guarded by the entry
    boolean closed; // guarded by the entry

    Entry(Tsdb db) {
      this.db = db;
    }

    synchronized boolean isClosed() {
      return closed;
    }
  }

  /** A tenant's open database, kept open until the lease is closed. */
  public static final class Lease implements AutoCloseable {
    private final TenantDatabases owner;
    private final Entry entry;
    private boolean released;

    private Lease(TenantDatabases owner, Entry entry) {
      this.owner = owner;
      this.entry = entry;
    }

    public Tsdb db() {
      return entry.db;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        synchronized (entry) {
          entry.leases--;
          entry.lastUsedMillis = owner.clock.millis();
        }
      }
    }
  }

  public TenantDatabases(Path dataDir, TsdbOptions options, Clock clock) {
    this.root = dataDir.resolve(TENANTS_DIR);
    this.options = options;
    this.clock = clock;
  }

  /** Rejects tenant ids that are empty, too long, "." / "..", or contain other characters. */
  public static void validateTenant(String tenant) {
    if (tenant == null || tenant.isEmpty() || tenant.length() > 150 || tenant.equals(".")
        || tenant.equals("..")) {
      throw new IllegalArgumentException("invalid tenant id " + tenant
          + ": must be 1-150 characters and not \".\" or \"..\"");
    }
    for (int i = 0; i < tenant.length(); i++) {
      char c = tenant.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || ALLOWED.indexOf(c) >= 0;
      if (!ok) {
        throw new IllegalArgumentException("invalid tenant id " + tenant + ": character '" + c
            + "' at " + i + " is not one of [A-Za-z0-9" + ALLOWED + "]");
      }
    }
  }

  /** The tenant's database, opened if needed; close the lease when the request is done. */
  public Lease acquire(String tenant) {
    validateTenant(tenant);
    while (true) {
      Entry e = open.get(tenant);
      if (e == null || e.isClosed()) {
        // An entry found closed is being closed by closeIdle, which holds this lock until the
        // old instance has let go of the directory: waiting for it here means the open below
        // never finds the directory still locked.
        synchronized (this) {
          if (closed) {
            throw new IllegalStateException("tenant databases under " + root + " are closed");
          }
          e = open.get(tenant);
          if (e == null) {
            e = new Entry(Tsdb.open(root.resolve(tenant), options));
            open.put(tenant, e);
            LOG.log(System.Logger.Level.INFO, "opened database of tenant " + tenant);
          }
        }
      }
      synchronized (e) {
        if (!e.closed) {
          e.leases++;
          e.lastUsedMillis = clock.millis();
          return new Lease(this, e);
        }
      }
      // Closed as idle between get() and the lease: retry, which waits for the close.
    }
  }

  /** Closes databases without leases unused for at least {@code idle}; returns how many. */
  public int closeIdle(Duration idle) {
    long now = clock.millis();
    int n = 0;
    for (Map.Entry<String, Entry> me : open.entrySet()) {
      Entry e = me.getValue();
      // Lock order: this, then the entry (acquire never holds an entry while taking this).
      synchronized (this) {
        synchronized (e) {
          if (e.closed || e.leases > 0 || now - e.lastUsedMillis < idle.toMillis()) {
            continue;
          }
          e.closed = true;
        }
        e.db.close();
        open.remove(me.getKey(), e);
      }
      n++;
      LOG.log(System.Logger.Level.INFO, "closed idle database of tenant " + me.getKey());
    }
    return n;
  }

  /** Tenants with a database on disk, sorted. */
  public List<String> tenants() {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
      for (Path p : ds) {
        if (Files.isDirectory(p)) {
          out.add(p.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + root, e);
    }
    out.sort(null);
    return out;
  }

  /** Tenants whose database is open now. */
  public int openCount() {
    return open.size();
  }

  /** Closes every database (leases become invalid). Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    for (Entry e : open.values()) {
      synchronized (e) {
        e.closed = true;
      }
      e.db.close();
    }
    open.clear();
  }
}
