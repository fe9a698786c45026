package dev.vigil.collector.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;

/** The pod and service informer caches (one per watched namespace) the endpoints roles join against. */
record ObjectCache(List<SharedIndexInformer<Pod>> pods, List<SharedIndexInformer<Service>> services) {
  ObjectCache {
    pods = List.copyOf(pods);
    services = List.copyOf(services);
  }

  Pod pod(String namespace, String name) {
    return find(pods, namespace, name);
  }

  Service service(String namespace, String name) {
    return find(services, namespace, name);
  }

  private static <T extends HasMetadata> T find(List<SharedIndexInformer<T>> informers, String namespace, String name) {
    String key = namespace + "/" + name;
    for (SharedIndexInformer<T> inf : informers) {
      T obj = inf.getStore().getByKey(key);
      if (obj != null) {
        return obj;
      }
    }
    return null;
  }
}
