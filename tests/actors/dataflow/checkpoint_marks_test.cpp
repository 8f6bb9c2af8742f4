// Checkpoint marks on data (actors/dataflow/checkpoint_marks.hpp), through a
// real sensor and node actor on CAF's deterministic test scheduler: a
// replay's mark on a batch makes the sensor and the node take their parts in
// the step that handles the batch, the node's outputs and the mark reach its
// subscriber as one message, and a round with nothing new costs no state.

#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <vector>

#include "actors/dataflow/checkpoint_board.hpp"
#include "actors/dataflow/node_actor.hpp"
#include "actors/dataflow/sensor_actor.hpp"
#include "actors/messages.hpp"
#include "tests/support/test_system.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr uint64_t source_key = 42;

class CheckpointMarks : public ::testing::Test {
protected:
  CheckpointMarks() {
    actor_env env;
    env.board = board;
    node_spec s1;
    s1.name = "s1";
    sensor = ts.spawn(sensor_actor, s1, host.actor,
                      std::shared_ptr<progress_tracker>{}, false, env);
    node_spec f1;
    f1.name = "f1";
    f1.kind = node_kind::feature;
    f1.fn = "ewma";
    f1.alpha = 0.5;
    f1.needs = {"s1"};
    node_band where;
    where.env = env;
    node = ts.spawn(node_actor, f1, host.actor, where);
    // A replay source that marks, the node wired to the sensor, the
    // subscriber to the node.
    caf::anon_send(sensor, attach_atom_v, source.actor, source_key, uint32_t{0},
                   true);
    caf::anon_send(node, wire_atom_v, std::vector<caf::actor>{sensor});
    caf::anon_send(node, caf::subscribe_atom_v, sub.actor,
                   progress_tracker::no_band, node_key("f1"));
    ts.run();
    sub.log->messages = 0;
    host.log->others.clear();
  }

  /// The replay source sends `points` up to watermark `wm` with mark `k`.
  void replay(std::vector<point> points, int64_t wm, uint64_t k) {
    batch b{source_key, std::move(points), wm};
    b.mark = k;
    caf::anon_send(sensor, std::move(b));
    ts.run();
  }

  /// Round `k`'s parts, the sensor's and the node's, are on the board, each
  /// with its state or (`changed` false) as unchanged.
  void expect_parts(uint64_t k, bool changed) {
    auto parts = board->take(k);
    ASSERT_EQ(parts.size(), 2u);
    for (auto& p : parts)
      EXPECT_EQ(p.state.has_value(), changed) << p.name;
  }

  /// How many of the host's messages said a round's parts are all on the
  /// board.
  size_t rounds_ready() const {
    size_t n = 0;
    for (auto& m : host.log->others)
      if (m.match_elements<ckpt_atom, ready_atom, uint64_t>())
        ++n;
    return n;
  }

  test_system ts;
  checkpoint_board_ptr board = std::make_shared<checkpoint_board>();
  probed host = ts.spawn_probe();
  probed source = ts.spawn_probe();
  probed sub = ts.spawn_probe();
  caf::actor sensor;
  caf::actor node;
};

} // namespace

TEST_F(CheckpointMarks, AMarkOnDataIsTakenAndPassedOnWithTheOutputs) {
  ASSERT_FALSE(board->begin(1, 2));
  replay({{10, 1.0}, {20, 3.0}}, 20, 1);
  // The node's outputs and the mark came in one message, the mark after
  // the outputs.
  EXPECT_EQ(sub.log->messages, 1u);
  ASSERT_EQ(sub.log->batches.size(), 1u);
  auto& out = sub.log->batches[0];
  EXPECT_EQ(out.from, node_key("f1"));
  EXPECT_EQ(out.mark, 1u);
  ASSERT_FALSE(out.points.empty());
  EXPECT_EQ(out.points.back().ts, 20);
  // Both parts are on the board, with their states, and the host heard
  // once that the round has them all.
  expect_parts(1, true);
  EXPECT_EQ(rounds_ready(), 1u);
}

TEST_F(CheckpointMarks, AMarkAloneChangesNoStateAndStillGoesOn) {
  ASSERT_FALSE(board->begin(1, 2));
  replay({{10, 1.0}}, 10, 1);
  expect_parts(1, true);
  // Round 2 while no data flows: the source marks alone; the parts say
  // "unchanged", and the subscriber gets the mark alone.
  sub.log->batches.clear();
  sub.log->messages = 0;
  ASSERT_FALSE(board->begin(2, 2));
  replay({}, 10, 2);
  ASSERT_EQ(sub.log->batches.size(), 1u);
  EXPECT_TRUE(sub.log->batches[0].points.empty());
  EXPECT_EQ(sub.log->batches[0].mark, 2u);
  expect_parts(2, false);
  EXPECT_EQ(rounds_ready(), 2u);
}

TEST_F(CheckpointMarks, ASensorFedByAReplayTakesItsPartOnTheMarkNotTheAsk) {
  ASSERT_FALSE(board->begin(1, 2));
  // The host asks first: the sensor waits for its replay's mark.
  caf::anon_send(sensor, ckpt_atom_v, uint64_t{1});
  ts.run();
  EXPECT_EQ(sub.log->messages, 0u);
  EXPECT_EQ(board->pending(), 2u);
  replay({{10, 1.0}}, 10, 1);
  EXPECT_EQ(board->pending(), 0u);
  ASSERT_EQ(sub.log->batches.size(), 1u);
  EXPECT_EQ(sub.log->batches[0].mark, 1u);
  EXPECT_FALSE(sub.log->batches[0].points.empty());
}

TEST_F(CheckpointMarks, ASensorFedByTwoReplaysHoldsWhatFollowsTheFirstMark) {
  const uint64_t other_key = 43;
  caf::anon_send(sensor, attach_atom_v, source.actor, other_key, uint32_t{0},
                 true);
  ts.run();
  ASSERT_FALSE(board->begin(1, 2));
  // The first replay marks after 10 and sends 20; the second marks after
  // 15: the sensor's part holds 10 and 15, and 20 follows the mark.
  replay({{10, 1.0}}, 10, 1);
  replay({{20, 3.0}}, 20, 0);
  batch b{other_key, {{15, 2.0}}, 20};
  b.mark = 1;
  caf::anon_send(sensor, std::move(b));
  ts.run();
  std::vector<std::string> got;
  for (auto& x : sub.log->batches) {
    for (auto& p : x.points)
      got.push_back(std::to_string(p.ts));
    if (x.mark != 0)
      got.push_back("mark " + std::to_string(x.mark));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"10", "15", "mark 1", "20"}));
  expect_parts(1, true);
}

namespace {

/// A model over two inputs, s1 and s2, whose batches the test sends itself.
class CheckpointAlignment : public ::testing::Test {
protected:
  CheckpointAlignment() {
    node_spec m;
    m.name = "m";
    m.kind = node_kind::model;
    m.fn = "linear";
    m.needs = {"s1", "s2"};
    m.weights = {1.0, 1.0};
    node_band where;
    where.env.board = board;
    node = ts.spawn(node_actor, m, host.actor, where);
    caf::anon_send(node, caf::subscribe_atom_v, sub.actor,
                   progress_tracker::no_band, node_key("m"));
    ts.run();
  }

  void send(const std::string& from, std::vector<point> points, int64_t wm,
            uint64_t mark = 0) {
    batch b{node_key(from), std::move(points), wm};
    b.mark = mark;
    caf::anon_send(node, std::move(b));
    ts.run();
  }

  /// What the subscriber got: "ts=value" for each output, "mark k" for a
  /// mark after them.
  std::vector<std::string> got() const {
    std::vector<std::string> xs;
    for (auto& b : sub.log->batches) {
      for (auto& p : b.points)
        xs.push_back(std::to_string(p.ts) + "="
                     + std::to_string(static_cast<int>(p.value)));
      if (b.mark != 0)
        xs.push_back("mark " + std::to_string(b.mark));
    }
    return xs;
  }

  test_system ts;
  checkpoint_board_ptr board = std::make_shared<checkpoint_board>();
  probed host = ts.spawn_probe();
  probed sub = ts.spawn_probe();
  caf::actor node;
};

} // namespace

TEST_F(CheckpointAlignment, WhatFollowsAMarkWaitsUntilEveryInputMarked) {
  ASSERT_FALSE(board->begin(1, 1));
  // s1 marks round 1 after its point at 10, then sends a point at 20: the
  // replay does not pause, so that point comes before s2's mark.
  send("s1", {{10, 1.0}}, 10, 1);
  send("s1", {{20, 2.0}}, 20);
  EXPECT_EQ(board->pending(), 1u);
  // s2's points up to 20 and its mark: the node fires 10, takes its part
  // (s1's point at 20 is not in it) and passes the mark on after that
  // output; then s1's point at 20 goes in and 20 fires, after the mark.
  send("s2", {{10, 5.0}, {20, 6.0}}, 20, 1);
  EXPECT_EQ(got(), (std::vector<std::string>{"10=6", "mark 1", "20=8"}));
  EXPECT_EQ(board->pending(), 0u);
  auto parts = board->take(1);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_TRUE(parts[0].state.has_value());
}

TEST_F(CheckpointAlignment, ARoundGivenUpLetsWhatWaitsGo) {
  ASSERT_FALSE(board->begin(1, 1));
  send("s1", {{10, 1.0}}, 10, 1);
  send("s1", {{20, 2.0}}, 20);
  // Round 1 ends uncommitted (s2's member died before its mark): what s1
  // sent after its mark goes in, and the node goes on without a part.
  caf::anon_send(node, ckpt_atom_v, done_atom_v, uint64_t{1});
  ts.run();
  send("s2", {{10, 5.0}, {20, 6.0}}, 20);
  EXPECT_EQ(got(), (std::vector<std::string>{"10=6", "20=8"}));
  EXPECT_EQ(board->pending(), 1u);
  // A late mark of the round given up changes nothing; the next round's
  // marks make a part again.
  send("s2", {}, 20, 1);
  EXPECT_EQ(board->pending(), 1u);
  ASSERT_FALSE(board->begin(2, 1));
  send("s1", {}, 20, 2);
  send("s2", {}, 20, 2);
  EXPECT_EQ(board->pending(), 0u);
  EXPECT_EQ(got().back(), "mark 2");
}
