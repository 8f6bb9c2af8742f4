#include "apps/shoal-node/demo_status.hpp"

#include <chrono>

#include "caf/all.hpp"

#include "actors/messages.hpp"

namespace shoal {

caf::expected<std::unique_ptr<demo_status>>
demo_status::start(const std::string& listen, const graph_spec& g) {
  auto addr = parse_host_port(listen);
  if (!addr)
    return addr.error();
  std::unique_ptr<demo_status> out{new demo_status};
  out->board_ = std::make_shared<status_board>();
  auto board = out->board_;
  auto server = http_server::start(*addr, [board] {
    return board->snapshot();
  });
  if (!server)
    return server.error();
  out->server_ = std::move(*server);
  member_status me;
  me.name = "demo";
  me.address = out->server_->address();
  me.alive = true;
  me.nodes = g.nodes.size();
  out->base_.members.push_back(std::move(me));
  for (auto& spec : g.nodes) {
    node_status n;
    n.name = spec.name;
    n.kind = spec.kind;
    n.fn = spec.fn;
    n.needs = spec.needs;
    n.member = "demo";
    out->base_.nodes.push_back(std::move(n));
  }
  return out;
}

void demo_status::refresh(const metrics& m, double dt, uint64_t outputs,
                          const std::vector<uint64_t>& latency,
                          std::vector<endpoint_status> endpoints,
                          std::vector<source_status> sources) {
  auto model = base_;
  auto& t = model.totals;
  // The process counts rejects without their reasons, so the demo shows
  // accepted samples alone (a member's status has both, by sensor).
  t.samples.accepted = m.samples_accepted();
  t.firings = m.firings();
  t.outputs = outputs;
  t.errors = m.errors();
  t.backlog = m.backlog();
  auto rate = [dt](uint64_t now, uint64_t before) {
    return dt > 0 && now >= before ? static_cast<double>(now - before) / dt
                                   : 0.0;
  };
  auto samples = [](const totals_status& x) {
    return x.samples.accepted + x.samples.rejected_total();
  };
  t.samples_per_s = rate(samples(t), samples(last_));
  t.firings_per_s = rate(t.firings, last_.firings);
  t.outputs_per_s = rate(t.outputs, last_.outputs);
  t.errors_per_s = rate(t.errors, last_.errors);
  auto& me = model.members.front();
  me.load = t.firings_per_s;
  me.backlog = t.backlog;
  me.samples = t.samples;
  model.latency.merge_numbers(latency);
  model.endpoints = std::move(endpoints);
  model.sources = std::move(sources);
  last_ = t;
  member_readiness ready;
  ready.joined = true;
  ready.deployed = true;
  board_->store(std::move(model), ready);
}

std::vector<source_status>
demo_status::ask_sources(caf::scoped_actor& self,
                         const std::vector<caf::actor>& xs) {
  std::vector<source_status> out;
  for (auto& x : xs)
    self->request(x, std::chrono::seconds(1), stats_atom_v, caf::get_atom_v)
      .receive(
        [&](std::string& name, int64_t wm, int64_t lag, uint64_t queued,
            bool full, uint64_t refused) {
          out.push_back(make_source_status(std::move(name), wm, lag, queued,
                                           full, refused));
        },
        [](caf::error&) {});
  return out;
}

const std::string& demo_status::address() const {
  return server_->address();
}

} // namespace shoal
