package dev.vigil.collector.discovery.kubernetes;

import dev.vigil.collector.config.KubernetesSdConfig;
import dev.vigil.collector.config.KubernetesSdConfig.Role;
import dev.vigil.collector.discovery.TargetGroup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One {@code kubernetes_sd_configs} entry: informers on the role's resources (per selected
 * namespace, with the role's label and field selectors) and, once every informer has listed, a
 * snapshot of all target groups to the listener after each change that alters it. Roles:
 * {@code node}, {@code pod}, {@code service}, {@code endpoints}, {@code endpointslice}, {@code ingress}.
 *
 * <p>Every event rebuilds the snapshot from the informer caches, which keeps cross-object roles
 * simple; calls to the listener are serialised under one lock.
 */
public final class KubernetesDiscovery implements AutoCloseable {
  private final Object lock = new Object();
  private final KubernetesSdConfig config;
  private final KubernetesClient client;
  private final TargetGroupListener listener;

  // Guarded by lock.
  private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
  private final List<Source<?>> sources = new ArrayList<>();
  private boolean synced;
  private boolean closed;
  private List<TargetGroup> last;

  public KubernetesDiscovery(KubernetesSdConfig config, KubernetesClient client, TargetGroupListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.client = Objects.requireNonNull(client, "client");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Starts the informers; the first snapshot follows when all have listed.
   *
   * @return completes when the first snapshot has been delivered
   */
  public CompletableFuture<Void> start() {
    List<CompletableFuture<?>> started = new ArrayList<>();
    synchronized (lock) {
      if (closed || !informers.isEmpty()) {
        throw new IllegalStateException("discovery already started or closed");
      }
      switch (config.role()) {
        case NODE -> addInformer(client.nodes(), Role.NODE, NodeRole::build);
        case POD -> watchNamespaced(client.pods(), Role.POD, PodRole::build);
        case SERVICE -> watchNamespaced(client.services(), Role.SERVICE, ServiceRole::build);
        case ENDPOINTS -> {
          ObjectCache cache = new ObjectCache(
              watchNamespaced(client.pods(), Role.POD, null),
              watchNamespaced(client.services(), Role.SERVICE, null));
          watchNamespaced(client.endpoints(), Role.ENDPOINTS, e -> EndpointsRole.build(e, cache));
        }
        case ENDPOINTSLICE -> {
          ObjectCache cache = new ObjectCache(
              watchNamespaced(client.pods(), Role.POD, null),
              watchNamespaced(client.services(), Role.SERVICE, null));
          watchNamespaced(client.discovery().v1().endpointSlices(), Role.ENDPOINTSLICE,
              e -> EndpointSliceRole.build(e, cache));
        }
        case INGRESS -> watchNamespaced(client.network().v1().ingresses(), Role.INGRESS, IngressRole::build);
      }
      for (SharedIndexInformer<? extends HasMetadata> inf : informers) {
        started.add(inf.start().toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).thenRunAsync(() -> {
      synchronized (lock) {
        synced = true;
      }
      changed();
    });
  }

  /** The last snapshot delivered, or an empty list before the first. */
  public List<TargetGroup> current() {
    synchronized (lock) {
      return last == null ? List.of() : last;
    }
  }

  @Override
  public void close() {
    List<SharedIndexInformer<? extends HasMetadata>> toClose;
    synchronized (lock) {
      closed = true;
      toClose = List.copyOf(informers);
    }
    // Outside the lock: stopping an informer may wait for a handler that is waiting for it.
    for (SharedIndexInformer<? extends HasMetadata> inf : toClose) {
      inf.close();
    }
  }

  /** The namespaces to watch; empty means all. */
  List<String> namespaces() {
    Set<String> ns = new LinkedHashSet<>(config.namespaces());
    if (config.ownNamespace()) {
      ns.add(client.getNamespace());
    }
    return List.copyOf(ns);
  }

  /**
   * Informers for {@code op} in every selected namespace (one for all when none is selected).
   * {@code build} null: the objects are only looked up by other roles.
   */
  private <T extends HasMetadata> List<SharedIndexInformer<T>> watchNamespaced(MixedOperation<T, ?, ?> op,
      Role resourceRole, Function<T, TargetGroup> build) {
    List<String> ns = namespaces();
    if (ns.isEmpty()) {
      return List.of(addInformer(op.inAnyNamespace(), resourceRole, build));
    }
    List<SharedIndexInformer<T>> out = new ArrayList<>();
    for (String n : ns) {
      out.add(addInformer(op.inNamespace(n), resourceRole, build));
    }
    return out;
  }

  private <T extends HasMetadata> SharedIndexInformer<T> addInformer(FilterWatchListDeletable<T, ?, ?> op,
      Role resourceRole, Function<T, TargetGroup> build) {
    FilterWatchListDeletable<T, ?, ?> f = Selectors.apply(op, config.selectors(), resourceRole);
    SharedIndexInformer<T> inf = f.runnableInformer(0);
    inf.addEventHandler(new ResourceEventHandler<T>() {
      @Override
      public void onAdd(T obj) {
        changed();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        changed();
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        changed();
      }
    });
    informers.add(inf);
    if (build != null) {
      sources.add(new Source<>(inf, build));
    }
    return inf;
  }

  private void changed() {
    synchronized (lock) {
      if (!synced || closed) {
        return;
      }
      List<TargetGroup> groups = new ArrayList<>();
      for (Source<?> s : sources) {
        s.buildInto(groups);
      }
      groups.sort(Comparator.comparing(TargetGroup::source));
      List<TargetGroup> snapshot = List.copyOf(groups);
      if (snapshot.equals(last)) {
        return;
      }
      last = snapshot;
      listener.update(snapshot);
    }
  }

  /** An informer's cache and how its objects become groups. */
  private record Source<T extends HasMetadata>(SharedIndexInformer<T> informer, Function<T, TargetGroup> build) {
    void buildInto(List<TargetGroup> out) {
      for (T obj : informer.getStore().list()) {
        TargetGroup g = build.apply(obj);
        if (g != null) {
          out.add(g);
        }
      }
    }
  }
}
