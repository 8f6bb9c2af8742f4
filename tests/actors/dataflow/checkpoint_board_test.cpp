// The board on which a graph host's nodes put their parts of a checkpoint
// round (actors/dataflow/checkpoint_board.hpp): the part that completes a
// round says so once, parts that come before their round began wait for
// it, parts of superseded rounds are dropped, and parts from many threads
// are all kept.

#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "actors/dataflow/checkpoint_board.hpp"

using namespace shoal;

namespace {

std::optional<handover> state(const std::string& bytes) {
  handover h;
  h.state = bytes;
  return h;
}

std::vector<std::string> names(const std::vector<checkpoint_board::part>& xs) {
  std::vector<std::string> out;
  for (auto& x : xs)
    out.push_back(x.name);
  return out;
}

} // namespace

TEST(CheckpointBoard, TheLastPartCompletesTheRoundOnce) {
  checkpoint_board b;
  EXPECT_FALSE(b.begin(1, 3));
  EXPECT_FALSE(b.put(1, "a", state("xa")));
  EXPECT_TRUE(b.take(1).empty()) << "not complete yet";
  EXPECT_FALSE(b.put(1, "b", std::nullopt));
  EXPECT_EQ(b.pending(), 1u);
  EXPECT_TRUE(b.put(1, "c", state("xc")));
  // A part too many (a node that took part twice) completes nothing.
  EXPECT_FALSE(b.put(1, "c", state("xc")));
  auto parts = b.take(1);
  ASSERT_EQ(names(parts), (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_TRUE(parts[0].state.has_value());
  EXPECT_EQ(parts[0].state->state, "xa");
  EXPECT_FALSE(parts[1].state.has_value()) << "unchanged: no state";
  EXPECT_TRUE(b.take(1).empty()) << "taken once";
}

TEST(CheckpointBoard, PartsBeforeTheirRoundWaitForItAndOldOnesAreDropped) {
  checkpoint_board b;
  EXPECT_FALSE(b.begin(1, 2));
  EXPECT_FALSE(b.put(1, "a", state("a1")));
  // Round 1 is superseded by round 2 before b's part came; a and b take
  // their parts of round 2 before it begins here.
  EXPECT_FALSE(b.put(2, "a", state("a2")));
  EXPECT_FALSE(b.put(2, "b", state("b2")));
  EXPECT_FALSE(b.put(3, "a", state("a3")));
  EXPECT_TRUE(b.begin(2, 2)) << "both parts were here already";
  EXPECT_EQ(names(b.take(2)), (std::vector<std::string>{"a", "b"}));
  // The late part of round 1 counts for nothing.
  EXPECT_FALSE(b.put(1, "b", state("b1")));
  // Round 3 begins with a's early part and waits for b's.
  EXPECT_FALSE(b.begin(3, 2));
  EXPECT_EQ(b.pending(), 1u);
  EXPECT_TRUE(b.put(3, "b", std::nullopt));
  EXPECT_EQ(names(b.take(3)), (std::vector<std::string>{"a", "b"}));
}

TEST(CheckpointBoard, ARoundOfNoNodesIsCompleteAtOnce) {
  checkpoint_board b;
  EXPECT_TRUE(b.begin(5, 0));
  EXPECT_TRUE(b.take(5).empty());
  EXPECT_EQ(b.pending(), 0u);
}

TEST(CheckpointBoard, PartsFromManyThreadsAreAllKeptAndOneCompletes) {
  constexpr size_t threads = 4;
  constexpr size_t per_thread = 2000;
  checkpoint_board b;
  ASSERT_FALSE(b.begin(7, threads * per_thread));
  std::vector<std::thread> ts;
  std::vector<size_t> completed(threads, 0);
  for (size_t t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (size_t i = 0; i < per_thread; ++i)
        if (b.put(7, std::to_string(t) + "." + std::to_string(i), state("s")))
          ++completed[t];
    });
  for (auto& t : ts)
    t.join();
  size_t total = 0;
  for (auto n : completed)
    total += n;
  EXPECT_EQ(total, 1u);
  EXPECT_EQ(b.take(7).size(), threads * per_thread);
}
