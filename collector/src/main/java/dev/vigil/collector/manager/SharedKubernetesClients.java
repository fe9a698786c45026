package dev.vigil.collector.manager;

import dev.vigil.collector.config.HttpClientConfig;
import dev.vigil.collector.config.KubernetesSdConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One Kubernetes API client per distinct connection (API server, kubeconfig, HTTP settings),
 * shared by every {@code kubernetes_sd_configs} entry that connects the same way: the preset's
 * eight jobs all discover in-cluster, and each fabric8 client brings its own connection pool and
 * threads. A client is closed when its last user releases it.
 */
final class SharedKubernetesClients {
  /** What decides how a client connects; roles, namespaces and selectors do not. */
  private record Key(String apiServer, String kubeconfigFile, HttpClientConfig httpClient) {}

  private static final class Entry {
    final KubernetesClient client;
    int users;

    Entry(KubernetesClient client) {
      this.client = client;
    }
  }

  /** A use of a shared client; closing it releases the client. Idempotent. */
  final class Lease implements AutoCloseable {
    private final Key key;
    private final KubernetesClient client;
    private boolean released;

    private Lease(Key key, KubernetesClient client) {
      this.key = key;
      this.client = client;
    }

    KubernetesClient client() {
      return client;
    }

    @Override
    public void close() {
      KubernetesClient toClose = null;
      synchronized (lock) {
        if (released) {
          return;
        }
        released = true;
        Entry e = clients.get(key);
        if (e != null && --e.users == 0) {
          clients.remove(key);
          toClose = e.client;
        }
      }
      if (toClose != null) {
        toClose.close();
      }
    }
  }

  private final Object lock = new Object();
  private final Function<KubernetesSdConfig, KubernetesClient> factory;
  // Guarded by lock.
  private final Map<Key, Entry> clients = new HashMap<>();

  SharedKubernetesClients(Function<KubernetesSdConfig, KubernetesClient> factory) {
    this.factory = factory;
  }

  /** A client for {@code sd}, created on first use. */
  Lease acquire(KubernetesSdConfig sd) {
    Key key = new Key(sd.apiServer(), sd.kubeconfigFile(), sd.httpClient());
    synchronized (lock) {
      // Created under the lock: building a client only reads configuration, it does not connect.
      Entry e = clients.computeIfAbsent(key, k -> new Entry(factory.apply(sd)));
      e.users++;
      return new Lease(key, e.client);
    }
  }

  /** Clients open now (tests check sharing and release). */
  int open() {
    synchronized (lock) {
      return clients.size();
    }
  }
}
