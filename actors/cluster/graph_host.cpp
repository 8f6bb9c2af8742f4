#include "actors/cluster/graph_host.hpp"

#include <chrono>
#include <memory>
#include <unordered_set>

#include "caf/all.hpp"

#include "actors/cluster/checkpoint_codec.hpp"
#include "actors/cluster/request_window.hpp"
#include "actors/dataflow/node_actor.hpp"
#include "actors/dataflow/sensor_actor.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/models/model_file.hpp"

namespace shoal {

using self_ptr = caf::stateful_actor<graph_host_state>*;

namespace {

/// The counters of every live local node, from the slots they publish
/// into (runtime/core/counts_slot.hpp), and this process's backlog.
caf::message collect_stats(self_ptr self) {
  auto& st = self->state;
  std::vector<std::string> names;
  std::vector<node_counts> counts;
  std::vector<ingest_counts> samples;
  // Every local node has its slot from its spawn until it leaves.
  names.reserve(st.slots.size());
  counts.reserve(st.slots.size());
  samples.reserve(st.slots.size());
  for (auto& [name, x] : st.slots) {
    names.push_back(name);
    counts.emplace_back();
    samples.emplace_back();
    if (x.kind == node_kind::sensor)
      samples.back() = x.slot->samples();
    else
      counts.back() = x.slot->node();
  }
  return caf::make_message(std::move(names), std::move(counts),
                           std::move(samples), process_metrics().backlog());
}

/// Node `name` leaves (or is replaced): what it did here goes to the
/// retired totals, and its slot is dropped.
void retire(self_ptr self, const std::string& name) {
  auto& st = self->state;
  auto slot = st.slots.find(name);
  if (slot == st.slots.end())
    return;
  st.work.retire(work_of(name, slot->second.kind, *slot->second.slot));
  st.slots.erase(slot);
}

/// Node `name` reported that it stops (end of stream, or moved away);
/// a report of a predecessor whose name runs as another actor now is not
/// about that one.
void stopped(self_ptr self, const std::string& name) {
  auto& st = self->state;
  auto i = st.local.find(name);
  if (i == st.local.end())
    return;
  auto from = caf::actor_cast<caf::actor>(self->current_sender());
  if (from && from != i->second)
    return;
  retire(self, name);
  st.local.erase(i);
}

/// What the nodes did here (see work_atom).
member_work collect_work(self_ptr self) {
  auto& st = self->state;
  auto w = st.work.totals();
  for (auto& [name, x] : st.slots)
    w.add_live(work_of(name, x.kind, *x.slot));
  return w;
}

/// How long a node may take to subscribe to its inputs: less than the 2
/// min the coordinator gives a member's wiring, so that the error that
/// names the node arrives first.
constexpr auto wire_timeout = std::chrono::seconds(90);

/// Subscribes the local features and models in `only` (all when null) to
/// their inputs, found in the directory `names` -> `xs`.
caf::result<caf::ok_atom> wire_local(self_ptr self,
                                     const std::vector<std::string>* only,
                                     const std::vector<std::string>& names,
                                     const std::vector<caf::actor>& xs) {
  auto& st = self->state;
  std::unordered_map<std::string, caf::actor> dir;
  for (size_t i = 0; i < names.size() && i < xs.size(); ++i)
    dir.emplace(names[i], xs[i]);
  struct wiring {
    std::string name;
    caf::actor actor;
    std::vector<caf::actor> inputs;
  };
  std::vector<wiring> to_wire;
  auto add = [&](const std::string& name) -> caf::error {
    auto i = st.local.find(name);
    if (i == st.local.end())
      return make_error(errc::not_found,
                        "node '" + name + "' does not run here");
    auto& spec = st.specs[name];
    if (spec.kind == node_kind::sensor)
      return caf::none;
    std::vector<caf::actor> inputs;
    for (auto& need : spec.needs) {
      auto j = dir.find(need);
      if (j == dir.end())
        return make_error(errc::not_found, "node '" + name + "': input '" + need
                                             + "' is nowhere");
      inputs.push_back(j->second);
    }
    to_wire.push_back(wiring{name, i->second, std::move(inputs)});
    return caf::none;
  };
  if (only) {
    for (auto& name : *only)
      if (auto err = add(name))
        return err;
  } else {
    for (auto& kvp : st.local)
      if (auto err = add(kvp.first))
        return err;
  }
  auto rp = self->make_response_promise<caf::ok_atom>();
  if (to_wire.empty()) {
    rp.deliver(caf::ok_atom_v);
    return rp;
  }
  auto failed = std::make_shared<bool>(false);
  auto work = std::make_shared<std::vector<wiring>>(std::move(to_wire));
  bool urgent = only != nullptr;
  // A window of requests, not one per node at once (request_window.hpp).
  request_window::run(
    work->size(), default_request_window,
    [=](size_t i, request_window::done_fn done) mutable {
      auto& w = (*work)[i];
      // Nodes added to a running graph subscribe urgently (ahead of their
      // inputs' backlogs).
      self
        ->request(w.actor, wire_timeout, wire_atom_v, std::move(w.inputs),
                  urgent)
        .then(
          [done](caf::ok_atom) {
            done(true);
          },
          [=, name = w.name](caf::error& err) mutable {
            // The first failure answers; those of requests still awaited
            // then are dropped.
            if (!*failed) {
              *failed = true;
              if (err == caf::sec::request_timeout)
                rp.deliver(
                  make_error(errc::io_error, "node '" + name
                                               + "' did not subscribe to its "
                                                 "inputs within 90 s"));
              else
                rp.deliver(std::move(err));
            }
            done(false);
          });
    },
    [=](bool stopped) mutable {
      if (!stopped)
        rp.deliver(caf::ok_atom_v);
    });
  return rp;
}

/// Counts the process's firings per second, measured over the last second.
void measure_load(self_ptr self) {
  auto& st = self->state;
  auto now = std::chrono::steady_clock::now();
  auto firings = process_metrics().firings();
  if (st.measured_at.time_since_epoch().count() != 0) {
    auto dt = std::chrono::duration<double>(now - st.measured_at).count();
    if (dt > 0)
      st.firings_per_s = static_cast<double>(firings - st.firings_then) / dt;
  }
  st.measured_at = now;
  st.firings_then = firings;
  self->delayed_send(self, std::chrono::seconds(1), load_atom_v, true);
}

/// Spawns the nodes `names` of `g` here (see the deploy messages); a node
/// with a checkpointed state in `states` (may be null) starts from it.
caf::result<std::vector<caf::actor>>
deploy(self_ptr self, const graph_spec& g,
       const std::vector<std::string>& names, bool standby,
       const std::vector<std::string>* states = nullptr) {
  std::unordered_map<std::string, const node_spec*> by_name;
  for (auto& n : g.nodes)
    by_name.emplace(n.name, &n);
  // Model nodes are built from the content that came with the graph (never
  // from a file here): a missing or bad one fails before anything spawns.
  for (auto& name : names) {
    auto i = by_name.find(name);
    if (i == by_name.end())
      return make_error(errc::not_found,
                        "node '" + name + "' is not in the graph");
    if (names_model_file(*i->second))
      if (auto fn = make_fn(*i->second); !fn)
        return std::move(fn.error());
  }
  // Checkpointed states decode before anything spawns, too.
  std::vector<handover> restored(names.size());
  std::vector<bool> warm(names.size(), false);
  for (size_t i = 0; states && i < names.size() && i < states->size(); ++i) {
    if ((*states)[i].empty())
      continue;
    auto h = decode_state(self->system(), (*states)[i], names[i]);
    if (!h)
      return std::move(h.error());
    restored[i] = std::move(*h);
    warm[i] = true;
  }
  auto me = caf::actor_cast<caf::actor>(self);
  std::vector<caf::actor> out;
  for (size_t i = 0; i < names.size(); ++i) {
    auto& name = names[i];
    auto& n = *by_name[name];
    node_band band;
    band.standby = standby || warm[i];
    auto slot = std::make_shared<counts_slot>();
    band.env.counts = slot;
    band.env.board = self->state.ckpt.board;
    // A replacement spawns before its predecessor stops: what that one did
    // here is retired now, as its slot goes.
    retire(self, name);
    // Monitored, not linked: CAF 0.17 keeps an actor's links in a list
    // that each unlink searches from its newest entry, so stopping 50,000
    // linked nodes (a failover restores all of them) took minutes; a
    // monitor sits in the node's own list. The host stops its nodes when
    // it goes, and goes when one fails (graph_host below).
    auto a = n.kind == node_kind::sensor
               ? self->spawn<caf::monitored>(sensor_actor, n, me, nullptr,
                                             band.standby, band.env)
               : self->spawn<caf::monitored>(node_actor, n, me, band);
    self->state.slots[name]
      = graph_host_state::local_slot{std::move(slot), n.kind};
    if (warm[i])
      // As a node that moved here, from the state its checkpoint kept.
      self->send(a, restore_atom_v, std::move(restored[i]));
    self->state.local[name] = a;
    self->state.specs[name] = n;
    out.push_back(a);
  }
  return out;
}

} // namespace

caf::behavior graph_host(self_ptr self, std::string member, caf::actor keeper) {
  self->state.ckpt.member = std::move(member);
  self->state.ckpt.keeper = std::move(keeper);
  if (self->state.ckpt.keeper)
    self->state.ckpt.board = std::make_shared<checkpoint_board>();
  // The member shuts down (it is linked to the host): the nodes go with
  // the host, one message each.
  self->set_exit_handler([=](caf::exit_msg& em) {
    if (!em.reason)
      return;
    for (auto& kvp : self->state.local)
      self->send_exit(kvp.second, em.reason);
    self->quit(std::move(em.reason));
  });
  // A node that failed takes the host, and with it the member, down
  // (docs/http.md, readiness); nodes that ended, moved away or were
  // stopped do not.
  self->set_down_handler([=](caf::down_msg& dm) {
    if (!dm.reason || dm.reason == caf::exit_reason::user_shutdown)
      return;
    for (auto& kvp : self->state.local)
      self->send_exit(kvp.second, dm.reason);
    self->quit(std::move(dm.reason));
  });
  measure_load(self);
  caf::message_handler hosting{
    [=](deploy_atom, const graph_spec& g, const std::vector<std::string>& names)
      -> caf::result<std::vector<caf::actor>> {
      return deploy(self, g, names, false);
    },
    [=](deploy_atom, const graph_spec& g, const std::vector<std::string>& names,
        bool standby) -> caf::result<std::vector<caf::actor>> {
      return deploy(self, g, names, standby);
    },
    [=](deploy_atom, const graph_spec& g, const std::vector<std::string>& names,
        const std::vector<std::string>& states)
      -> caf::result<std::vector<caf::actor>> {
      return deploy(self, g, names, false, &states);
    },
    [=](wire_atom, const std::vector<std::string>& names,
        const std::vector<caf::actor>& xs) {
      return wire_local(self, nullptr, names, xs);
    },
    [=](wire_atom, const std::vector<std::string>& only,
        const std::vector<std::string>& names,
        const std::vector<caf::actor>& xs) {
      return wire_local(self, &only, names, xs);
    },
    [=](remove_atom, const std::vector<caf::actor>& xs) {
      auto& st = self->state;
      // One pass over the local nodes, however many go (a restore replaces
      // all of them).
      std::unordered_set<caf::actor> gone;
      for (auto& x : xs)
        if (x)
          gone.insert(x);
      for (auto i = st.local.begin(); i != st.local.end();) {
        if (gone.count(i->second) == 0) {
          ++i;
          continue;
        }
        retire(self, i->first);
        st.specs.erase(i->first);
        i = st.local.erase(i);
      }
      for (auto& x : xs) {
        // An actor that stopped already (a node that moved away) arrives as
        // an invalid handle.
        if (!x)
          continue;
        self->send_exit(x, caf::exit_reason::user_shutdown);
      }
      return caf::ok_atom_v;
    },
    [=](load_atom, bool) {
      measure_load(self);
    },
    [=](load_atom) {
      auto& st = self->state;
      return caf::make_message(static_cast<uint64_t>(st.local.size()),
                               st.firings_per_s);
    },
    [=](stats_atom) {
      return collect_stats(self);
    },
    [=](work_atom) {
      return collect_work(self);
    },
    [=](report_atom, const std::string& name, const node_counts&) {
      stopped(self, name);
    },
    [=](report_atom, const std::string& name, const ingest_counts&) {
      stopped(self, name);
    },
  };
  return hosting.or_else(host_checkpoint_handlers(self));
}

} // namespace shoal
