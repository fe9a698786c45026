package dev.vigil.server;

import dev.vigil.model.storage.Queryable;
import dev.vigil.server.api.ApiParams;
import dev.vigil.server.api.ApiResponse;
import dev.vigil.server.api.PrometheusApi;
import dev.vigil.server.api.QueryLimits;
import dev.vigil.server.http.BodyTooLargeException;
import dev.vigil.server.http.Endpoint;
import dev.vigil.server.http.HttpCall;
import dev.vigil.server.http.HttpReply;
import dev.vigil.server.limits.LimitsProvider;
import dev.vigil.server.limits.TenantLimits;
import dev.vigil.server.tenant.EmptyQueryable;
import dev.vigil.server.tenant.FederatedQueryable;
import dev.vigil.server.tenant.TenantException;
import dev.vigil.server.tenant.TenantResolver;
import dev.vigil.server.tenant.TenantStorages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adapts HTTP calls to {@link PrometheusApi}: reads query and form parameters, resolves the
 * tenant(s) to a {@link Queryable} (federated for {@code a|b}), and wraps the JSON answer.
 */
final class ApiEndpoints {
  /** What an API endpoint does once it has its parameters and the tenant's data. */
  @FunctionalInterface
  interface ApiCall {
    ApiResponse apply(ApiParams params, Queryable queryable, String pathParam);
  }

  /** A query endpoint: also gets the tenant's (or tenants' strictest) query limits. */
  @FunctionalInterface
  interface QueryCall {
    ApiResponse apply(ApiParams params, Queryable queryable, QueryLimits limits);
  }

  private final TenantResolver tenants;
  private final TenantStorages storages;
  private final LimitsProvider limits;
  private final int maxFormBytes;

  ApiEndpoints(TenantResolver tenants, TenantStorages storages, LimitsProvider limits,
      int maxFormBytes) {
    this.tenants = tenants;
    this.storages = storages;
    this.limits = limits;
    this.maxFormBytes = maxFormBytes;
  }

  /** A PromQL endpoint under the tenant's query limits. */
  Endpoint query(QueryCall call) {
    return http -> {
      List<String> ids;
      try {
        ids = tenants.readTenants(http.header(TenantResolver.HEADER));
      } catch (TenantException e) {
        return HttpReply.text(e.status(), e.getMessage());
      }
      QueryLimits l = null;
      for (String id : ids) {
        TenantLimits t = limits.forTenant(id);
        QueryLimits q = new QueryLimits(t.maxSamplesPerQuery(), t.queryTimeout(),
            t.maxTotalQueryLength());
        l = l == null ? q : l.strictest(q);
      }
      return reply(call.apply(params(http), queryable(ids), l));
    };
  }

  /** An endpoint that needs the tenant's data. */
  Endpoint withTenant(ApiCall call) {
    return http -> {
      Queryable q;
      try {
        q = queryable(tenants.readTenants(http.header(TenantResolver.HEADER)));
      } catch (TenantException e) {
        return HttpReply.text(e.status(), e.getMessage());
      }
      return reply(call.apply(params(http), q, http.pathParam()));
    };
  }

  /** An endpoint that needs the request's tenant IDs (several for a federated read). */
  Endpoint withTenantIds(java.util.function.BiFunction<ApiParams, List<String>, ApiResponse> call) {
    return http -> {
      List<String> ids;
      try {
        ids = tenants.readTenants(http.header(TenantResolver.HEADER));
      } catch (TenantException e) {
        return HttpReply.text(e.status(), e.getMessage());
      }
      return reply(call.apply(params(http), ids));
    };
  }

  /** An endpoint that answers without tenant data (status, format_query...). */
  Endpoint withoutTenant(java.util.function.Function<ApiParams, ApiResponse> call) {
    return http -> reply(call.apply(params(http)));
  }

  private Queryable queryable(List<String> ids) {
    if (ids.size() == 1) {
      return storages.forRead(ids.get(0)).<Queryable>map(s -> s).orElse(EmptyQueryable.INSTANCE);
    }
    Map<String, Queryable> map = new LinkedHashMap<>();
    for (String id : ids) {
      map.put(id, storages.forRead(id).<Queryable>map(s -> s).orElse(EmptyQueryable.INSTANCE));
    }
    return new FederatedQueryable(map);
  }

  private ApiParams params(HttpCall http) throws IOException, BodyTooLargeException {
    String form = null;
    String ct = http.header("Content-Type");
    if (http.method().equals("POST") && ct != null
        && ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      form = new String(http.body(maxFormBytes), StandardCharsets.UTF_8);
    }
    return ApiParams.parse(http.query(), form);
  }

  private static HttpReply reply(ApiResponse r) {
    if (r.status() == 204) {
      return HttpReply.empty(204);
    }
    return HttpReply.json(r.status(), r.body());
  }
}
