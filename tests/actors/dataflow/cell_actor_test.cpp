// A cell actor on CAF's deterministic test scheduler: a sensor and its chain
// of features and models, fed by a probe source and an outside input, gives
// exactly the reference evaluator's outputs, and a watermark request reaches
// only the inputs of the node it is for. A cell group takes its sensors'
// samples as one feed, by directory index, and joins them inside.

#include <gtest/gtest.h>
#include <map>

#include "actors/dataflow/cell_actor.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/metrics.hpp"
#include "tests/support/reference_run.hpp"
#include "tests/support/test_system.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr uint64_t source_key = 1000;
constexpr auto no_band = progress_tracker::no_band;

/// s and t are sensors; s's cell holds m1 <- s, d1 <- m1 and y <- (s, t)
/// triggered by s, so that t is the cell's one outside input.
graph_spec cell_graph() {
  graph_spec g;
  g.nodes.push_back(sensor("s"));
  g.nodes.push_back(sensor("t"));
  g.nodes.push_back(feature("m1", "rolling_mean", "s", 2));
  g.nodes.push_back(feature("d1", "diff", "m1"));
  g.nodes.push_back(linear("y", {"s", "t"}, {1.0, 0.5}, 0.25, {"s"}));
  return g;
}

/// The cell of sensor 0 of `g` (directory index 0) with `nodes`, each
/// reading the inputs `from` (cell_spec::from).
cell_spec sensor_cell(const graph_spec& g, metrics& live,
                      std::vector<size_t> nodes,
                      std::vector<std::vector<uint32_t>> from) {
  cell_spec c;
  c.graph = &g;
  c.sensors = {0};
  c.directory = {0};
  c.nodes = std::move(nodes);
  c.from = std::move(from);
  c.live = &live;
  return c;
}

cell_spec make_cell(const graph_spec& g, metrics& live) {
  auto s = cell_node::sensor_ref(0);
  return sensor_cell(g, live, {2, 3, 4},
                     {{s}, {0}, {s, cell_node::from_outside}});
}

batch make_batch(uint64_t from, std::vector<point> points, int64_t wm) {
  batch b;
  b.from = from;
  b.points = std::move(points);
  b.wm = wm;
  return b;
}

/// The outputs in `log`, per node key.
std::map<uint64_t, std::vector<point>> outputs_of(const probe_log& log) {
  std::map<uint64_t, std::vector<point>> result;
  for (auto& b : log.batches)
    for (auto& p : b.points)
      result[b.from].push_back(p);
  return result;
}

/// The reference evaluator over the samples every test here sends.
run_result reference_of(const graph_spec& g) {
  return run(g, {{"s", 1, 1.0},
                 {"t", 2, 10.0},
                 {"s", 3, 2.0},
                 {"s", 5, 4.0},
                 {"t", 6, 20.0},
                 {"s", 7, 7.0},
                 {"s", 9, 11.0}});
}

/// The reference's outputs, per node key.
std::map<uint64_t, std::vector<point>> outputs_by_key(const run_result& ref) {
  std::map<uint64_t, std::vector<point>> result;
  for (auto& row : ref.outputs)
    result[node_key(row.node)].push_back({row.ts, row.value});
  return result;
}

class CellActor : public ::testing::Test {
protected:
  /// Spawns the cell, attaches `source`, wires `outside` as t and
  /// subscribes each probe to its node.
  void start(const std::vector<std::pair<probed*, std::string>>& subs) {
    cell = ts.spawn(cell_actor, make_cell(g, live), monitor.actor,
                    std::shared_ptr<progress_tracker>{});
    caf::send_as(source.actor, cell, attach_atom_v, source.actor, source_key,
                 uint32_t{0});
    caf::send_as(monitor.actor, cell, wire_atom_v,
                 std::vector<std::string>{"t"},
                 std::vector<caf::actor>{outside.actor});
    ts.run();
    // The cell subscribed to t; t confirms as an empty input would.
    ASSERT_EQ(outside.log->others.size(), 1u);
    EXPECT_TRUE((outside.log->others[0]
                   .match_elements<caf::subscribe_atom, caf::actor, uint32_t,
                                   uint64_t>()));
    caf::send_as(outside.actor, cell, subscribed_atom_v, node_key("t"),
                 point{wm_none, 0.0}, wm_none);
    for (auto& [p, n] : subs)
      caf::send_as(p->actor, cell, caf::subscribe_atom_v, p->actor, no_band,
                   node_key(n));
    ts.run();
    outside.log->others.clear();
    // The attach, the wiring and each subscription were confirmed.
    EXPECT_EQ(source.log->others.size(), 1u);
    source.log->others.clear();
    EXPECT_EQ(monitor.log->others.size(), 1u);
    monitor.log->others.clear();
    std::map<probed*, size_t> answers;
    for (auto& [p, n] : subs)
      ++answers[p];
    for (auto& [p, count] : answers) {
      ASSERT_EQ(p->log->others.size(), count);
      for (auto& m : p->log->others)
        EXPECT_TRUE(
          (m.match_elements<subscribed_atom, uint64_t, point, int64_t>()));
      p->log->others.clear();
    }
  }

  /// The outputs `sub` got, per node key.
  std::map<uint64_t, std::vector<point>> outputs() const {
    return outputs_of(*sub.log);
  }

  test_system ts;
  metrics live;
  graph_spec g = cell_graph();
  probed source = ts.spawn_probe();
  probed outside = ts.spawn_probe();
  probed monitor = ts.spawn_probe();
  probed sub = ts.spawn_probe();
  probed other_sub = ts.spawn_probe();
  caf::actor cell;
};

} // namespace

TEST_F(CellActor, OutputsEqualTheReferenceEvaluator) {
  start({{&sub, "m1"}, {&sub, "d1"}, {&sub, "y"}});
  auto send = [&](const caf::actor& from, uint64_t key,
                  std::vector<point> points, int64_t wm) {
    caf::send_as(from, cell, make_batch(key, std::move(points), wm));
    ts.run();
  };
  send(source.actor, source_key, {{1, 1.0}, {3, 2.0}, {5, 4.0}}, 5);
  send(outside.actor, node_key("t"), {{2, 10.0}, {6, 20.0}}, 6);
  send(source.actor, source_key, {{7, 7.0}, {9, 11.0}}, wm_end);
  send(outside.actor, node_key("t"), {}, wm_end);
  auto ref = reference_of(g);
  auto want = outputs_by_key(ref);
  ASSERT_EQ(want.size(), 3u);
  EXPECT_EQ(outputs(), want);
  // Every node ended: the reports match the reference's counts, and the
  // batches handled went to the counters handed in.
  std::map<std::string, node_counts> reports;
  for (auto& m : monitor.log->others)
    if (m.match_elements<report_atom, std::string, node_counts>())
      reports[m.get_as<std::string>(1)] = m.get_as<node_counts>(2);
  ASSERT_EQ(reports.size(), 3u);
  for (size_t i = 2; i < g.nodes.size(); ++i) {
    auto& name = g.nodes[i].name;
    EXPECT_EQ(reports[name].firings, ref.nodes[i].firings) << name;
    EXPECT_EQ(reports[name].outputs, ref.nodes[i].outputs) << name;
  }
  EXPECT_EQ(live.samples_accepted(), 5u);
  EXPECT_EQ(live.firings(),
            ref.nodes[2].firings + ref.nodes[3].firings + ref.nodes[4].firings);
}

TEST_F(CellActor, AWatermarkRequestReachesOnlyTheInputsOfItsNode) {
  start({{&sub, "d1"}, {&other_sub, "y"}});
  // d1 depends on the sensor alone (through m1): only the source is asked.
  caf::send_as(sub.actor, cell, need_atom_v, int64_t{50});
  ts.run();
  ASSERT_EQ(source.log->others.size(), 1u);
  auto& need = source.log->others[0];
  ASSERT_TRUE((need.match_elements<src_need_atom, int64_t, uint32_t>()));
  EXPECT_EQ(need.get_as<int64_t>(1), 50);
  EXPECT_EQ(need.get_as<uint32_t>(2), 0u);
  EXPECT_TRUE(outside.log->others.empty());
  // The source answers: the watermark comes back through d1 alone.
  caf::send_as(source.actor, cell, make_batch(source_key, {}, 60));
  ts.run();
  ASSERT_EQ(sub.log->batches.size(), 1u);
  EXPECT_EQ(sub.log->batches[0].from, node_key("d1"));
  EXPECT_TRUE(sub.log->batches[0].points.empty());
  EXPECT_EQ(sub.log->batches[0].wm, 60);
  EXPECT_TRUE(other_sub.log->batches.empty());
  EXPECT_TRUE(outside.log->others.empty());
  // A request for y asks the outside input t; the sensor already passed it.
  caf::send_as(other_sub.actor, cell, need_atom_v, int64_t{50});
  ts.run();
  ASSERT_EQ(outside.log->others.size(), 1u);
  auto& outside_need = outside.log->others[0];
  ASSERT_TRUE((outside_need.match_elements<need_atom, int64_t>()));
  EXPECT_EQ(outside_need.get_as<int64_t>(1), 50);
  EXPECT_EQ(source.log->others.size(), 1u);
  EXPECT_TRUE(other_sub.log->batches.empty());
}

TEST(CellNeeds, NodesLaggingBehindOneOutsideActorAskItOncePerRun) {
  // s's cell holds y1 <- (s, t), y2 <- (s, u) and y3 <- (s, t, u), all
  // triggered by s; t and u run in one other actor (a cell group).
  graph_spec g;
  g.nodes.push_back(sensor("s"));
  g.nodes.push_back(sensor("t"));
  g.nodes.push_back(sensor("u"));
  g.nodes.push_back(linear("y1", {"s", "t"}, {1.0, 1.0}, 0.0, {"s"}));
  g.nodes.push_back(linear("y2", {"s", "u"}, {1.0, 1.0}, 0.0, {"s"}));
  g.nodes.push_back(linear("y3", {"s", "t", "u"}, {1.0, 1.0, 1.0}, 0.0, {"s"}));
  metrics live;
  auto s = cell_node::sensor_ref(0);
  auto out = cell_node::from_outside;
  auto c = sensor_cell(g, live, {3, 4, 5}, {{s, out}, {s, out}, {s, out, out}});
  test_system ts;
  auto source = ts.spawn_probe();
  auto outside = ts.spawn_probe();
  auto monitor = ts.spawn_probe();
  auto cell = ts.spawn(cell_actor, std::move(c), monitor.actor,
                       std::shared_ptr<progress_tracker>{});
  caf::send_as(source.actor, cell, attach_atom_v, source.actor, source_key,
               uint32_t{0});
  caf::send_as(monitor.actor, cell, wire_atom_v,
               std::vector<std::string>{"t", "u"},
               std::vector<caf::actor>{outside.actor, outside.actor});
  ts.run();
  ASSERT_EQ(outside.log->others.size(), 2u); // subscribed to t and to u
  for (auto name : {"t", "u"})
    caf::send_as(outside.actor, cell, subscribed_atom_v, node_key(name),
                 point{wm_none, 0.0}, wm_none);
  ts.run();
  outside.log->others.clear();
  // One batch of s with three firings of each model: four nodes' inputs
  // lag behind the outside actor, each for the first firing.
  caf::send_as(source.actor, cell,
               make_batch(source_key, {{1, 1.0}, {3, 2.0}, {5, 3.0}}, 5));
  ts.run();
  std::vector<int64_t> asked;
  for (auto& m : outside.log->others) {
    ASSERT_TRUE((m.match_elements<need_atom, int64_t>()));
    asked.push_back(m.get_as<int64_t>(1));
  }
  EXPECT_EQ(asked, (std::vector<int64_t>{1}));
  // t and u answer up to 3: the nodes fire twice and ask for 5, once.
  outside.log->others.clear();
  std::vector<batch> answers{make_batch(node_key("t"), {{1, 10.0}}, 3),
                             make_batch(node_key("u"), {{2, 20.0}}, 3)};
  caf::send_as(outside.actor, cell, answers);
  ts.run();
  asked.clear();
  for (auto& m : outside.log->others) {
    ASSERT_TRUE((m.match_elements<need_atom, int64_t>()));
    asked.push_back(m.get_as<int64_t>(1));
  }
  EXPECT_EQ(asked, (std::vector<int64_t>{5}));
  EXPECT_TRUE(monitor.log->batches.empty());
}

namespace {

/// The graph of the fixture above as one cell group: both sensors, so that
/// y joins s and t inside the cell. `s` is directory index 4, `t` 9.
cell_spec make_group(const graph_spec& g, metrics& live) {
  cell_spec c;
  c.graph = &g;
  c.sensors = {0, 1};
  c.directory = {4, 9};
  c.nodes = {2, 3, 4};
  auto s = cell_node::sensor_ref(0);
  auto t = cell_node::sensor_ref(1);
  c.from = {{s}, {0}, {s, t}};
  c.live = &live;
  return c;
}

} // namespace

TEST(CellGroup, SensorsOfOneGroupTakeOneFeedAndJoinInsideIt) {
  test_system ts;
  metrics live;
  auto g = cell_graph();
  auto source = ts.spawn_probe();
  auto monitor = ts.spawn_probe();
  auto sub = ts.spawn_probe();
  auto cell = ts.spawn(cell_actor, make_group(g, live), monitor.actor,
                       std::shared_ptr<progress_tracker>{});
  // The source attaches each sensor by its directory index.
  for (uint32_t index : {4u, 9u})
    caf::send_as(source.actor, cell, attach_atom_v, source.actor, source_key,
                 index);
  for (auto name : {"m1", "d1", "y"})
    caf::send_as(sub.actor, cell, caf::subscribe_atom_v, sub.actor, no_band,
                 node_key(name));
  ts.run();
  ASSERT_EQ(source.log->others.size(), 2u);
  EXPECT_TRUE(source.log->others[0].match_elements<caf::ok_atom>());
  EXPECT_TRUE(source.log->others[1].match_elements<caf::ok_atom>());
  source.log->others.clear();
  // An index the cell does not hold is refused with an error that names it.
  auto refused = std::make_shared<caf::error>();
  ts.spawn([=](caf::event_based_actor* self) {
    self
      ->request(cell, caf::infinite, attach_atom_v, source.actor, source_key,
                uint32_t{5})
      .then(
        [](caf::ok_atom) {
          ADD_FAILURE() << "attached index 5";
        },
        [=](caf::error& err) {
          *refused = std::move(err);
        });
  });
  ts.run();
  EXPECT_NE(describe(*refused).find("no sensor with index 5"),
            std::string::npos);
  auto feed = [&](std::vector<point> s, std::vector<point> t, int64_t wm) {
    sensor_feed f;
    f.sensors = {9, 4};
    f.batches = {make_batch(source_key, std::move(t), wm),
                 make_batch(source_key, std::move(s), wm)};
    caf::send_as(source.actor, cell, std::move(f));
    ts.run();
  };
  feed({{1, 1.0}, {3, 2.0}, {5, 4.0}}, {{2, 10.0}}, 5);
  feed({{7, 7.0}, {9, 11.0}}, {{6, 20.0}}, wm_end);
  auto ref = reference_of(g);
  auto want = outputs_by_key(ref);
  ASSERT_EQ(want.size(), 3u);
  EXPECT_EQ(outputs_of(*sub.log), want);
  // Nothing was asked of an outside input, and every sensor and node
  // reported at end of stream.
  EXPECT_TRUE(source.log->others.empty());
  size_t reports = 0;
  for (auto& m : monitor.log->others)
    reports += m.match_element<report_atom>(0) ? 1 : 0;
  EXPECT_EQ(reports, 5u);
  EXPECT_EQ(live.samples_accepted(), 7u);
}

TEST(CellGroup, KeyTableAndNodeSet) {
  key_table keys;
  for (uint32_t i = 0; i < 1000; ++i)
    keys.add(node_key("n" + std::to_string(i)), i);
  keys.seal();
  for (uint32_t i = 0; i < 1000; ++i)
    EXPECT_EQ(keys.find(node_key("n" + std::to_string(i))), i);
  EXPECT_EQ(keys.find(node_key("absent")), key_table::npos);
  EXPECT_EQ(key_table{}.find(1), key_table::npos);
  // Taken out lowest first, also when a larger one is added on the way.
  node_set set;
  set.resize(200);
  for (uint32_t k : {130u, 3u, 64u})
    set.insert(k);
  std::vector<uint32_t> order;
  uint32_t k = 0;
  while (set.pop(k)) {
    order.push_back(k);
    if (k == 64)
      set.insert(199);
  }
  EXPECT_EQ(order, (std::vector<uint32_t>{3, 64, 130, 199}));
  EXPECT_EQ(set.peek(), node_set::none);
}
