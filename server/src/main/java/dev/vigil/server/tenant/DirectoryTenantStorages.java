package dev.vigil.server.tenant;

import dev.vigil.model.storage.Storage;
import dev.vigil.tsdb.tenant.TenantDirectories;
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
 * <p>Requests get a {@link TenantHandle}: each appender and querier leases the open store, and
 * {@link #closeIdle} closes only stores without leases that were not used for the idle timeout
 * (from the injected clock); the next use reopens them. Off by default, as in Mimir.
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
  private final ConcurrentHashMap<String, TenantHandle> handles = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public DirectoryTenantStorages(Path dataDir, StorageOpener opener) {
    this(dataDir, opener, java.time.Clock.systemUTC());
  }

  public DirectoryTenantStorages(Path dataDir, StorageOpener opener, java.time.Clock clock) {
    this.tenantsDir = TenantDirectories.tenantsDir(dataDir);
    this.opener = opener;
    this.clock = clock;
  }

  public Path tenantsDir() {
    return tenantsDir;
  }

  @Override
  public Storage forWrite(String tenant) {
    TenantHandle h = handle(tenant); // validates the ID first
    h.open();
    return h;
  }

  @Override
  public Optional<Storage> forRead(String tenant) {
    TenantHandle h = handles.get(tenant);
    if (h != null) {
      return Optional.of(h);
    }
    if (TenantResolver.problem(tenant) != null || !Files.isDirectory(tenantsDir.resolve(tenant))) {
      return Optional.empty();
    }
    return Optional.of(handle(tenant));
  }

  private TenantHandle handle(String tenant) {
    if (TenantResolver.problem(tenant) != null) {
      throw new IllegalArgumentException("not a valid tenant ID: " + tenant);
    }
    return handles.computeIfAbsent(tenant, t -> {
      if (closed) {
        throw new IllegalStateException("tenant storages are closed");
      }
      return new TenantHandle(t, () -> openStore(t), clock);
    });
  }

  private Storage openStore(String tenant) {
    Path dir = tenantsDir.resolve(tenant);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create tenant directory " + dir + ": " + e, e);
    }
    LOG.log(System.Logger.Level.INFO, "opening storage of tenant {0} in {1}", tenant, dir);
    return opener.open(tenant, dir);
  }

  @Override
  public List<String> tenants() {
    TreeSet<String> all = new TreeSet<>(handles.keySet());
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

  /**
   * Opens, on a thread of its own and one after the other, the tenants on disk whose directory
   * {@code leftByACrash} accepts (the server passes {@code Tsdb.hasWalToReplay}), so their
   * replay starts while the server is still starting up rather than at their first request,
   * which then waits only for what is left of it (the open holds the tenant's lock). Other
   * tenants stay closed until used. A failed open is logged; the tenant's next request tries
   * again and gets the error.
   */
  public void openInBackground(java.util.function.Predicate<Path> leftByACrash,
      String threadName) {
    List<String> onDisk = tenants();
    Thread.ofPlatform().name(threadName).daemon().start(() -> {
      for (String tenant : onDisk) {
        if (closed) {
          return;
        }
        if (!leftByACrash.test(tenantsDir.resolve(tenant))) {
          continue;
        }
        LOG.log(System.Logger.Level.INFO, "tenant {0} was not closed cleanly: replaying its WAL"
            + " now rather than at its first request", tenant);
        try {
          handle(tenant).open();
        } catch (RuntimeException e) {
          if (closed) {
            return; // shut down meanwhile
          }
          LOG.log(System.Logger.Level.WARNING, "opening tenant " + tenant + " at start failed"
              + " (its next request tries again): " + e, e);
        }
      }
    });
  }

  @Override
  public java.util.Map<String, Storage> openStores() {
    java.util.Map<String, Storage> out = new java.util.HashMap<>();
    handles.forEach((tenant, h) -> {
      Storage s = h.current();
      if (s != null) {
        out.put(tenant, s);
      }
    });
    return out;
  }

  @Override
  public boolean ifOpen(String tenant, java.util.function.Consumer<Storage> action) {
    TenantHandle h = handles.get(tenant);
    return h != null && h.ifOpen(action);
  }

  @Override
  public int closeIdle(java.time.Duration idle) {
    long cutoff = clock.millis() - idle.toMillis();
    int n = 0;
    for (TenantHandle h : handles.values()) {
      if (h.closeIfIdle(cutoff)) {
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
    handles.values().forEach(TenantHandle::shutdown);
  }
}
