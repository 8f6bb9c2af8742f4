#include "runtime/http/http_routes.hpp"

#include <exception>
#include <optional>

#include "runtime/http/prometheus.hpp"
#include "runtime/http/status_page.hpp"

namespace shoal {

namespace {

http_reply text(unsigned status, std::string body) {
  return http_reply{status, "text/plain; charset=utf-8", std::move(body), {}};
}

http_reply healthz(const health_provider& health) {
  if (!health)
    return text(200, "ok\n");
  try {
    auto verdict = health();
    if (verdict.ready)
      return text(200, "ok\n");
    return text(503, verdict.reason + "\n");
  } catch (const std::exception& ex) {
    return text(503,
                std::string{"not ready: cannot decide: "} + ex.what() + "\n");
  } catch (...) {
    return text(503, "not ready: cannot decide\n");
  }
}

/// The `scope` parameter of a /metrics query: own (the default) or
/// cluster; nothing for any other value.
std::optional<metrics_scope> scope_of(std::string_view target) {
  auto q = target.find('?');
  auto query
    = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  auto scope = metrics_scope::own;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{}
                                          : query.substr(amp + 1);
    if (param.rfind("scope=", 0) != 0)
      continue;
    auto value = param.substr(6);
    if (value == "cluster")
      scope = metrics_scope::cluster;
    else if (value != "member")
      return std::nullopt;
  }
  return scope;
}

} // namespace

http_reply route_request(std::string_view method, std::string_view target,
                         const status_provider& provider) {
  return route_request(method, target, provider, health_provider{});
}

http_reply route_request(std::string_view method, std::string_view target,
                         const status_provider& provider,
                         const health_provider& health) {
  auto path = target.substr(0, target.find('?'));
  bool known = path == "/" || path == "/metrics" || path == "/healthz"
               || path == "/status";
  if (!known)
    return text(404, "not found: " + std::string{path} + "\n");
  if (method != "GET" && method != "HEAD") {
    auto reply = text(405, "method not allowed: " + std::string{method}
                             + " (use GET or HEAD)\n");
    reply.allow = "GET, HEAD";
    return reply;
  }
  if (path == "/healthz")
    return healthz(health);
  if (path == "/")
    return http_reply{
      200, "text/html; charset=utf-8", std::string{status_page_html()}, {}};
  try {
    auto model = provider();
    if (path == "/metrics") {
      auto scope = scope_of(target);
      if (!scope)
        return text(400, "bad scope: use scope=member (the default) or "
                         "scope=cluster\n");
      return http_reply{200,
                        std::string{prometheus_content_type},
                        render_metrics(model, model.latency, *scope),
                        {}};
    }
    return http_reply{200, "application/json", render_status_json(model), {}};
  } catch (const std::exception& ex) {
    return text(500,
                std::string{"cannot read the status: "} + ex.what() + "\n");
  } catch (...) {
    return text(500, "cannot read the status\n");
  }
}

} // namespace shoal
