// Giving up on a move: what the node says, and to which log.

#include <gtest/gtest.h>

#include "actors/dataflow/move_protocol.hpp"
#include "runtime/core/log_sink.hpp"

using namespace shoal;

TEST(GiveUpMove, SaysHowManyInputsDidNotConfirmOnTheLogItIsGiven) {
  captured_log log;
  auto m = std::make_unique<move_state>();
  m->pending = 2;
  EXPECT_TRUE(give_up_move(m, "p1.mean", log));
  EXPECT_EQ(m->pending, 0u);
  auto lines = log.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].first, log_level::warning);
  EXPECT_EQ(lines[0].second,
            "shoal-node: p1.mean: 2 inputs did not confirm the move");
  // Nothing left to wait for: nothing to say.
  EXPECT_FALSE(give_up_move(m, "p1.mean", log));
  std::unique_ptr<move_state> none;
  EXPECT_FALSE(give_up_move(none, "p1.mean", log));
  EXPECT_EQ(log.lines().size(), 1u);
}
