#include "actors/cluster/member_graph.hpp"

#include <memory>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/dataflow/sink_actor.hpp"
#include "actors/messages.hpp"
#include "actors/sources/replay_source.hpp"
#include "runtime/cluster/placement.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/io/csv.hpp"

namespace shoal {

using self_ptr = member_self;

/// Deploys `g` (validated) over the current members and delivers a summary
/// to `rp`; on any failure, delivers the error and deploys nothing more.
void apply_graph(self_ptr self, graph_spec g, caf::response_promise rp) {
  auto& st = self->state;
  std::vector<member_info> members;
  for (auto& [name, e] : st.members)
    members.push_back(e.info);
  auto where = place_graph(g, members.size());
  std::vector<std::vector<std::string>> names(members.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    names[where[i]].push_back(g.nodes[i].name);
  st.busy = true;
  auto dir_names = std::make_shared<std::vector<std::string>>();
  auto dir_actors = std::make_shared<std::vector<caf::actor>>();
  auto dir_members = std::make_shared<std::vector<std::string>>();
  auto pending = std::make_shared<size_t>(members.size());
  auto failed = std::make_shared<bool>(false);
  auto fail = [=](caf::error err) mutable {
    if (*failed)
      return;
    *failed = true;
    self->state.busy = false;
    rp.deliver(std::move(err));
  };
  auto wire_all = [=]() mutable {
    auto wired = std::make_shared<size_t>(members.size());
    for (auto& m : members)
      self
        ->request(m.host, std::chrono::minutes(2), wire_atom_v, *dir_names,
                  *dir_actors)
        .then(
          [=](caf::ok_atom) mutable {
            if (--*wired > 0 || *failed)
              return;
            auto& s = self->state;
            s.graph = g;
            s.dir_names = *dir_names;
            s.dir_actors = *dir_actors;
            s.dir_members = *dir_members;
            s.deployed = true;
            s.busy = false;
            // The placement just made counted every member: joins before
            // it leave nothing to re-balance.
            s.rebalance_pending = false;
            // Every member learns the deployment: any can serve graph and
            // replay.
            tell_others(self, "", deploy_atom_v, g, *dir_names, *dir_actors,
                        *dir_members);
            self->send(s.monitor, deploy_atom_v, g, *dir_names, *dir_actors,
                       *dir_members);
            std::string summary
              = "applied " + std::to_string(g.nodes.size()) + " nodes on "
                + std::to_string(members.size()) + " members:";
            for (size_t k = 0; k < members.size(); ++k)
              summary += " " + members[k].name + " "
                         + std::to_string(names[k].size());
            rp.deliver(summary);
          },
          [=](caf::error& err) mutable {
            fail(std::move(err));
          });
  };
  for (size_t k = 0; k < members.size(); ++k) {
    self
      ->request(members[k].host, std::chrono::minutes(2), deploy_atom_v, g,
                names[k])
      .then(
        [=](std::vector<caf::actor>& xs) mutable {
          for (size_t j = 0; j < xs.size(); ++j) {
            dir_names->push_back(names[k][j]);
            dir_actors->push_back(std::move(xs[j]));
            dir_members->push_back(members[k].name);
          }
          if (--*pending == 0 && !*failed)
            wire_all();
        },
        [=](caf::error& err) mutable {
          fail(std::move(err));
        });
  }
}

/// Delivers the replay's rows once both its source and its sink are done.
void finish_replay(self_ptr self) {
  auto& st = self->state;
  auto run = st.replay;
  if (!run || !run->source_done || !run->sink_done)
    return;
  // The graph runs on: the file's end was its source leaving.
  st.replay = nullptr;
  if (!run->error.empty())
    run->rp.deliver(make_error(errc::io_error, run->error));
  else
    run->rp.deliver(std::move(run->out->rows));
}

void fail_replay(self_ptr self, const std::string& why) {
  auto& st = self->state;
  auto run = st.replay;
  if (!run)
    return;
  st.replay = nullptr;
  run->rp.deliver(make_error(errc::io_error, why));
  self->send_exit(run->source, caf::exit_reason::user_shutdown);
  self->send_exit(run->sink, caf::exit_reason::user_shutdown);
}

void sync_replay_sink(self_ptr self) {
  auto& st = self->state;
  if (!st.replay || !st.replay->sink)
    return;
  std::unordered_map<std::string, caf::actor> dir;
  for (size_t i = 0; i < st.dir_names.size(); ++i)
    dir.emplace(st.dir_names[i], st.dir_actors[i]);
  std::vector<caf::actor> emitting;
  std::vector<std::string> names;
  for (auto& n : st.graph.nodes)
    if (n.emit) {
      emitting.push_back(dir[n.name]);
      names.push_back(n.name);
    }
  self->send(st.replay->sink, sync_atom_v, emitting, names);
}

/// Streams `path` into the deployed graph: a sink on every emitting node, a
/// replay source on every sensor, then start.
caf::error start_replay(self_ptr self, const std::string& path,
                        caf::response_promise rp) {
  auto& st = self->state;
  auto reader = sample_reader::open(path);
  if (!reader)
    return std::move(reader.error());
  std::unordered_map<std::string, caf::actor> dir;
  for (size_t i = 0; i < st.dir_names.size(); ++i)
    dir.emplace(st.dir_names[i], st.dir_actors[i]);
  std::vector<std::string> sensor_names;
  std::vector<caf::actor> sensors;
  std::vector<caf::actor> emitting;
  std::vector<std::string> emitting_names;
  for (auto& n : st.graph.nodes) {
    if (n.kind == node_kind::sensor) {
      sensor_names.push_back(n.name);
      sensors.push_back(dir[n.name]);
    }
    if (n.emit) {
      emitting.push_back(dir[n.name]);
      emitting_names.push_back(n.name);
    }
  }
  auto run = std::make_shared<member_state::replay_run>();
  run->rp = std::move(rp);
  run->out = std::make_shared<memory_sink>();
  st.replay = run;
  auto me = caf::actor_cast<caf::actor>(self);
  // Not linked: stopping them must not stop this member.
  auto sink = self->spawn(sink_actor, run->out, me, alert_rule{});
  auto source_dir = std::make_shared<sensor_directory>(std::move(sensor_names));
  auto key = node_key("source:cluster-replay");
  replay_options opts;
  opts.detach_at_end = true;
  // Smaller chunks than a one-node replay: the graph runs on for other
  // sources and changes, which interleave between chunks.
  opts.chunk_rows = 1024;
  auto source = self->spawn(replay_source, std::string{"replay"},
                            std::make_shared<sample_reader>(std::move(*reader)),
                            source_dir, sensors, key, opts, me);
  run->sink = sink;
  run->source = source;
  auto fail = [=](caf::error& err) {
    auto& s = self->state;
    if (s.replay == run) {
      s.replay = nullptr;
      run->rp.deliver(std::move(err));
    }
    self->send_exit(source, caf::exit_reason::user_shutdown);
    self->send_exit(sink, caf::exit_reason::user_shutdown);
  };
  self
    ->request(sink, std::chrono::minutes(2), wire_atom_v, emitting,
              emitting_names)
    .then(
      [=](caf::ok_atom) {
        auto attached = std::make_shared<size_t>(sensors.size());
        if (sensors.empty())
          self->send(source, start_atom_v);
        for (uint32_t i = 0; i < sensors.size(); ++i)
          self
            ->request(sensors[i], std::chrono::minutes(2), attach_atom_v,
                      source, key, i)
            .then(
              [=](caf::ok_atom) {
                if (--*attached == 0)
                  self->send(source, start_atom_v);
              },
              fail);
      },
      fail);
  return caf::none;
}

std::vector<std::string> placed_graph_dot(const member_state& st) {
  auto quoted = [](const std::string& x) {
    // Names are [A-Za-z0-9_.:-]: nothing to escape but the quotes around.
    return "\"" + x + "\"";
  };
  std::unordered_map<std::string, std::string> member_of;
  for (size_t i = 0; i < st.dir_names.size() && i < st.dir_members.size(); ++i)
    member_of.emplace(st.dir_names[i], st.dir_members[i]);
  std::vector<std::string> lines{"digraph shoal {", "  rankdir=LR;"};
  for (auto& [member, e] : st.members) {
    lines.push_back("  subgraph " + quoted("cluster_" + member) + " {");
    lines.push_back("    label=" + quoted(member) + ";");
    for (auto& n : st.graph.nodes) {
      auto i = member_of.find(n.name);
      if (i == member_of.end() || i->second != member)
        continue;
      const char* shape = n.kind == node_kind::sensor    ? "ellipse"
                          : n.kind == node_kind::feature ? "box"
                                                         : "doubleoctagon";
      lines.push_back("    " + quoted(n.name) + " [shape=" + shape + "];");
    }
    lines.push_back("  }");
  }
  for (auto& n : st.graph.nodes)
    for (auto& need : n.needs)
      lines.push_back("  " + quoted(need) + " -> " + quoted(n.name) + ";");
  lines.push_back("}");
  return lines;
}

} // namespace shoal
