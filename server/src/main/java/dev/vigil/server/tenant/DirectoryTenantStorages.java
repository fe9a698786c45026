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
  private final ConcurrentHashMap<String, Storage> open = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public DirectoryTenantStorages(Path dataDir, StorageOpener opener) {
    this.tenantsDir = dataDir.resolve("tenants");
    this.opener = opener;
  }

  public Path tenantsDir() {
    return tenantsDir;
  }

  @Override
  public Storage forWrite(String tenant) {
    Storage s = open.get(tenant);
    return s != null ? s : openTenant(tenant);
  }

  @Override
  public Optional<Storage> forRead(String tenant) {
    Storage s = open.get(tenant);
    if (s != null) {
      return Optional.of(s);
    }
    if (TenantResolver.problem(tenant) != null || !Files.isDirectory(tenantsDir.resolve(tenant))) {
      return Optional.empty();
    }
    return Optional.of(openTenant(tenant));
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
