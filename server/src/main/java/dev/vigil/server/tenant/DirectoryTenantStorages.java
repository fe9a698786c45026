package dev.vigil.server.tenant;

import dev.vigil.model.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Tenant stores in {@code <data-dir>/tenants/<tenant>/}, opened lazily by a {@link StorageOpener}
 * (the TSDB in production, an in-memory store in tests), so swapping the engine is one line of
 * wiring. Tenant IDs are validated before they get here, so they are safe path segments.
 *
 * <p>Each use stamps the tenant's last-use time (from the injected clock); {@link #closeIdle}
 * closes stores unused for longer than the idle timeout. Requests do not hold leases, so a
 * request that fetched a store in the instant its idle close began fails once (500, which
 * senders retry); hence the timeout should be far above the query timeout, and is off by
 * default as in Mimir.
 */
public final class DirectoryTenantStorages implements TenantStorages {
  /** Opens the store of one tenant in its own directory (which exists when called). */
  @FunctionalInterface
  public interface StorageOpener {
    Storage open(String tenant, Path dir);
  }

  private static final System.Logger LOG = System.getLogger(DirectoryTenantStorages.class.getName());

  private final Path tenantsDir;
  private final StorageOpener opener;
  private final java.time.Clock clock;
  private final ConcurrentHashMap<String, Storage> open = new ConcurrentHashMap<>();
  /** Last use per open tenant, in the clock's milliseconds. */
  private final ConcurrentHashMap<String, Long> lastUsed = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public DirectoryTenantStorages(Path dataDir, StorageOpener opener) {
    this(dataDir, opener, java.time.Clock.systemUTC());
  }

  public DirectoryTenantStorages(Path dataDir, StorageOpener opener, java.time.Clock clock) {
    this.tenantsDir = dataDir.resolve("tenants");
    this.opener = opener;
    this.clock = clock;
  }

  private void touch(String tenant) {
    lastUsed.put(tenant, clock.millis());
  }

  public Path tenantsDir() {
    return tenantsDir;
  }

  @Override
  public Storage forWrite(String tenant) {
    Storage s = open.get(tenant);
    if (s == null) {
      s = openTenant(tenant); // validates the ID first
    }
    touch(tenant);
    return s;
  }

  @Override
  public Optional<Storage> forRead(String tenant) {
    Storage s = open.get(tenant);
    if (s != null) {
      touch(tenant);
      return Optional.of(s);
    }
    if (TenantResolver.problem(tenant) != null || !Files.isDirectory(tenantsDir.resolve(tenant))) {
      return Optional.empty();
    }
    Storage opened = openTenant(tenant);
    touch(tenant);
    return Optional.of(opened);
  }

  private Storage openTenant(String tenant) {
    if (TenantResolver.problem(tenant) != null) {
      throw new IllegalArgumentException("not a valid tenant ID: " + tenant);
    }
    return open.computeIfAbsent(tenant, t -> {
      if (closed) {
        throw new IllegalStateException("tenant storages are closed");
      }
      Path dir = tenantsDir.resolve(t);
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create tenant directory " + dir, e);
      }
      LOG.log(System.Logger.Level.INFO, "opening storage of tenant {0} in {1}", t, dir);
      return opener.open(t, dir);
    });
  }

  @Override
  public List<String> tenants() {
    TreeSet<String> all = new TreeSet<>(open.keySet());
    if (Files.isDirectory(tenantsDir)) {
      try (Stream<Path> dirs = Files.list(tenantsDir)) {
        dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
            .filter(n -> TenantResolver.problem(n) == null).forEach(all::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + tenantsDir, e);
      }
    }
    return new ArrayList<>(all);
  }

  @Override
  public java.util.Map<String, Storage> openStores() {
    return java.util.Map.copyOf(open);
  }

  @Override
  public int closeIdle(java.time.Duration idle) {
    long cutoff = clock.millis() - idle.toMillis();
    int n = 0;
    for (String tenant : List.copyOf(open.keySet())) {
      Long used = lastUsed.get(tenant);
      if (used == null || used > cutoff) {
        continue; // null: opened this instant, stamped right after
      }
      Storage[] removed = new Storage[1];
      // Re-checked under the map's lock for this key: a use since the scan keeps it open.
      open.computeIfPresent(tenant, (t, s) -> {
        Long u = lastUsed.get(t);
        if (u == null || u > cutoff) {
          return s;
        }
        removed[0] = s;
        return null;
      });
      if (removed[0] instanceof AutoCloseable c) {
        LOG.log(System.Logger.Level.INFO, "closing storage of idle tenant {0}", tenant);
        try {
          c.close();
        } catch (Exception ex) {
          LOG.log(System.Logger.Level.ERROR, "closing storage of tenant " + tenant + " failed",
              ex);
        }
      }
      if (removed[0] != null) {
        lastUsed.remove(tenant, used);
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (var e : open.entrySet()) {
      if (e.getValue() instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception ex) {
          LOG.log(System.Logger.Level.ERROR, "closing storage of tenant " + e.getKey() + " failed",
              ex);
        }
      }
    }
    open.clear();
  }
}
