#include "tests/support/sample_status.hpp"

#include <string>

namespace shoal::test_support {

namespace {

constexpr size_t unit_size = 10;
constexpr size_t units_per_area = 50;

node_status make_node(size_t unit, size_t k, const std::string& member) {
  auto prefix = "plant.a" + std::to_string(unit / units_per_area) + ".u"
                + std::to_string(unit % units_per_area) + ".";
  node_status n;
  n.member = member;
  if (k < 5) {
    n.name = prefix + "s" + std::to_string(k);
    n.kind = node_kind::sensor;
    n.samples.accepted = 1000 + k;
    n.samples[reject_reason::late] = k;
  } else if (k < 9) {
    auto f = k - 5;
    n.name = prefix + "f" + std::to_string(f);
    n.kind = node_kind::feature;
    n.fn = "mean";
    n.needs = {prefix + "s" + std::to_string(f),
               prefix + "s" + std::to_string(f + 1)};
    n.counts.firings = 1000;
    n.counts.outputs = 1000;
  } else {
    n.name = prefix + "model";
    n.kind = node_kind::model;
    n.fn = "lua";
    for (int f = 0; f < 4; ++f)
      n.needs.push_back(prefix + "f" + std::to_string(f));
    n.counts.firings = 1000;
    n.counts.outputs = 990;
    if (unit % 3 == 0) {
      n.counts.errors = 10 + unit % 50;
      n.counts.outputs = 1000 - n.counts.errors;
      n.counts.last_error = "lua: attempt to index a nil value (unit "
                            + std::to_string(unit) + ")";
    }
    n.p50_ns = static_cast<int64_t>(100'000 + 1'000 * unit);
    n.p99_ns = static_cast<int64_t>(2'000'000 + 10'000 * unit);
  }
  return n;
}

} // namespace

status_model sample_status(size_t members, size_t nodes) {
  status_model m;
  m.uptime_s = 3725;
  for (size_t i = 0; i < members; ++i) {
    member_status ms;
    ms.name = "m" + std::to_string(i);
    ms.address = "10.0.0." + std::to_string(i + 1) + ":4242";
    ms.alive = true;
    ms.load = 1500.5 * static_cast<double>(i + 1);
    ms.backlog = static_cast<int64_t>(i);
    ms.samples.accepted = 5000;
    ms.samples[reject_reason::malformed] = 3;
    m.members.push_back(ms);
  }
  for (size_t i = 0; i < nodes; ++i) {
    auto unit = i / unit_size;
    auto member = members > 0 ? m.members[unit % members].name : std::string{};
    m.nodes.push_back(make_node(unit, i % unit_size, member));
  }
  for (auto& ms : m.members)
    for (auto& n : m.nodes)
      ms.nodes += n.member == ms.name ? 1 : 0;
  auto& t = m.totals;
  t.samples.accepted = 5000 * members;
  t.samples[reject_reason::malformed] = 3 * members;
  for (auto& n : m.nodes) {
    t.firings += n.counts.firings;
    t.outputs += n.counts.outputs;
    t.errors += n.counts.errors;
  }
  t.samples_per_s = 2500;
  t.firings_per_s = 12000;
  t.outputs_per_s = 11000;
  t.errors_per_s = 0.5;
  endpoint_status ep;
  ep.kind = "tcp source";
  ep.address = "127.0.0.1:7790";
  ep.port = 7790;
  ep.connected = true;
  ep.messages = 42;
  m.endpoints.push_back(ep);
  for (int i = 1; i <= 1000; ++i)
    m.latency.record(i * 10'000);
  return m;
}

} // namespace shoal::test_support
