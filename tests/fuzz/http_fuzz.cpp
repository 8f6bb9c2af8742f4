// Fuzzes the HTTP request path (runtime/http/http_request): the input is what
// a client sends before closing; it is parsed with the server's limits and
// answered as the server would, /metrics and /status rendering a status whose
// member and node names are taken from the input, so that the JSON and
// Prometheus escaping are fuzzed too. Every answer has a known status.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "runtime/http/http_request.hpp"

using namespace shoal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text{reinterpret_cast<const char*>(data), size};
  auto provider = [&text] {
    status_model model;
    auto name = text.substr(0, 64);
    member_status member;
    member.name = name;
    member.address = text;
    member.alive = true;
    member.load = 1.5;
    member.nodes = 1;
    model.members.push_back(std::move(member));
    node_status node;
    node.name = name;
    node.kind = node_kind::feature;
    node.fn = "rolling_mean";
    node.needs = {name};
    node.member = name;
    node.counts.last_error = text;
    node.p50_ns = 1000;
    model.nodes.push_back(std::move(node));
    model.latency.record(1'000'000);
    return model;
  };
  auto answer = answer_bytes(text, request_limits{}, provider);
  if (!answer.send)
    return 0;
  switch (answer.reply.status) {
    case 200:
    case 404:
    case 405:
      if (answer.close_after)
        std::abort();
      break;
    case 400:
    case 413:
      if (!answer.close_after)
        std::abort();
      break;
    default: std::abort();
  }
  return 0;
}
