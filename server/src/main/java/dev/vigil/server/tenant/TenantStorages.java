package dev.vigil.server.tenant;

import dev.vigil.model.storage.Storage;
import java.util.List;
import java.util.Optional;

/**
 * The registry of per-tenant stores. Implementations open a tenant's store on first use and
 * close them all on {@link #close()}. Thread-safe.
 */
public interface TenantStorages extends AutoCloseable {
  /** The tenant's store, opened (and created) if needed. */
  Storage forWrite(String tenant);

  /** The tenant's store if it exists (opened if needed); empty for a tenant never written. */
  Optional<Storage> forRead(String tenant);

  /** Tenants with a store, opened or on disk, sorted. */
  List<String> tenants();

  /** The stores open now, by tenant (a snapshot; they may close right after). */
  java.util.Map<String, Storage> openStores();

  /**
   * Runs {@code action} on the tenant's store if it is open, under the lock its opening and
   * closing take: a store being opened meanwhile is either passed here or opens after this
   * returns (so it sees whatever the caller changed before calling). Opens nothing; returns
   * whether the action ran.
   */
  boolean ifOpen(String tenant, java.util.function.Consumer<Storage> action);

  /**
   * Closes the stores not asked for during {@code idle}, as Mimir's ingesters close idle TSDBs
   * ({@code -blocks-storage.tsdb.close-idle-tsdb-timeout}); the next request opens them again.
   * Returns how many were closed.
   */
  int closeIdle(java.time.Duration idle);

  /** Closes every opened store; later calls fail. Idempotent. */
  @Override
  void close();
}
