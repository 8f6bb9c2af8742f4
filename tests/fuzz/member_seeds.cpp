// Writes the seed inputs of the member target (corpus/member/): messages a
// member receives, serialized as the middleman does, each file prefixed with
// the member target's selector byte. Run by hand after a message changes:
// build-fuzz/fuzz/member_seeds tests/fuzz/corpus/member

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/binary_serializer.hpp"
#include "caf/message.hpp"

#include "actors/messages.hpp"

using namespace shoal;

namespace {

template <class T>
bool write_seed(caf::actor_system& sys, const std::string& dir,
                const std::string& name, uint8_t selector, T x) {
  std::vector<char> buf{static_cast<char>(selector)};
  caf::binary_serializer sink{sys, buf};
  if (auto err = sink(x)) {
    std::fprintf(stderr, "member_seeds: cannot serialize %s\n", name.c_str());
    return false;
  }
  auto path = dir + "/" + name;
  auto* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr)
    return false;
  auto ok = std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
  return std::fclose(f) == 0 && ok;
}

graph_spec small_graph() {
  graph_spec g;
  node_spec s;
  s.name = "p1.temp";
  s.kind = node_kind::sensor;
  s.unit = "degC";
  s.file = "g.toml";
  node_spec f;
  f.name = "p1.mean";
  f.kind = node_kind::feature;
  f.fn = "rolling_mean";
  f.needs = {"p1.temp"};
  f.window = 10;
  f.file = "g.toml";
  node_spec m;
  m.name = "p1.score";
  m.kind = node_kind::model;
  m.fn = "linear";
  m.needs = {"p1.mean"};
  m.weights = {0.5};
  m.bias = 1;
  m.link = "logistic";
  m.emit = true;
  m.file = "g.toml";
  g.nodes = {s, f, m};
  return g;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: member_seeds DIR\n");
    return 2;
  }
  std::string dir = argv[1];
  caf::actor_system_config cfg;
  register_types(cfg);
  cfg.set("scheduler.max-threads", 1);
  caf::actor_system sys{cfg};
  auto g = small_graph();
  std::vector<std::string> names{"p1.mean", "p1.score"};
  member_info who{"n1", "127.0.0.1:7741", {}, {}};
  batch b{42, {point{1, 1.5}, point{2, -0.0}}, 2, INT64_MIN};
  handover h;
  h.state = std::string("\x01\x02state", 7);
  h.requested = {1, 2};
  h.last = point{3, 4.5};
  replay_page page;
  page.rows.names = {"p1.score", "p1.mean"};
  page.rows.name_of = {0, 1, 0};
  page.rows.points = {point{5, 0.25}, point{5, 3.0}, point{6, -1.0}};
  bool ok
    = write_seed(sys, dir, "msg_apply", 0, caf::make_message(apply_atom_v, g))
      && write_seed(sys, dir, "msg_remove", 0,
                    caf::make_message(remove_atom_v, names, true))
      && write_seed(
        sys, dir, "msg_replay", 0,
        caf::make_message(replay_atom_v, std::string{"/tmp/in.csv"}))
      && write_seed(sys, dir, "msg_tail", 0,
                    caf::make_message(tail_atom_v, names))
      && write_seed(sys, dir, "msg_join", 0,
                    caf::make_message(join_atom_v, who))
      && write_seed(
        sys, dir, "msg_heartbeat", 0,
        caf::make_message(heartbeat_atom_v, std::string{"n2"}, true))
      && write_seed(sys, dir, "graph_spec", 1, g)
      && write_seed(sys, dir, "names", 2, names)
      && write_seed(sys, dir, "members", 3, std::vector<member_info>{who, who})
      && write_seed(sys, dir, "batch", 4, b)
      && write_seed(sys, dir, "handover", 5, h)
      && write_seed(sys, dir, "directory", 6, directory{})
      && write_seed(sys, dir, "page", 7, page);
  return ok ? 0 : 1;
}
