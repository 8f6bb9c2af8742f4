// What the HTTP endpoint answers, without the networking: a method and a
// target in, a status, a content type and a body out.
//
// The server (http_server) does the parsing, limits and timeouts and calls
// `route_request` for each well-formed request; tests call it directly too.
// `provider` is called once for `/metrics`, `/status` and nothing else; an
// exception it throws becomes a 500 reply (caught here, at the edge).
// `health` is called once for `/healthz` and nothing else: 200 `ok` when it
// says ready, 503 with its reason otherwise (an exception it throws is a
// 503 too). Without one (a server that serves no member) `/healthz` answers
// `ok` as soon as the server runs.

#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "runtime/http/readiness.hpp"
#include "runtime/http/status_model.hpp"

namespace shoal {

/// Builds the status of the running system; see docs/http.md.
using status_provider = std::function<status_model()>;

/// Decides whether the member is ready (runtime/http/readiness.hpp).
using health_provider = std::function<readiness()>;

struct http_reply {
  unsigned status = 200;
  std::string content_type;
  /// The body; the server sends none for HEAD but keeps its length.
  std::string body;
  /// A 405 reply's Allow header; empty otherwise.
  std::string allow;
};

/// Answers `method` (only GET and HEAD are allowed) on `target` (a path,
/// optionally with a query string: `/metrics?scope=cluster` shows the
/// whole cluster (runtime/http/prometheus.hpp), `scope=member` is the
/// default and another scope is a 400; other parameters are ignored).
http_reply route_request(std::string_view method, std::string_view target,
                         const status_provider& provider,
                         const health_provider& health);

/// The same, with no health provider.
http_reply route_request(std::string_view method, std::string_view target,
                         const status_provider& provider);

} // namespace shoal
