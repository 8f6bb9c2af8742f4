// shoal-bench checkpoint-store: the real binary on a small store. Behaviour
// only: which figures it prints and how it fails, never how fast it was.

#include <gtest/gtest.h>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/state/checkpoint_store.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class ShoalBenchCheckpoint : public temp_dir_test {
protected:
  process_result bench(const std::string& args) const {
    return run_command(binary("shoal-bench") + " checkpoint-store " + args);
  }
};

} // namespace

TEST_F(ShoalBenchCheckpoint, PrintsEveryFigureAndKeepsAGivenDirectory) {
  auto dir = (dir_ / "store").string();
  auto res = bench("--nodes 2000 --state-bytes 50 --changed 0.25 "
                   "--checkpoints 3 --dir "
                   + dir);
  ASSERT_EQ(res.exit_code, 0) << res.output;
  for (const char* figure :
       {"2000 nodes, 50-byte states, 500 changed per checkpoint, 3 "
        "incremental checkpoints",
        "write a full checkpoint", "write an incremental checkpoint, median",
        "read all back", "commit", "prune to the last checkpoint",
        "close and open again", "bytes per node",
        "files in the directory at the end"})
    EXPECT_NE(res.output.find(figure), std::string::npos) << figure << "\n"
                                                          << res.output;
  // The store it leaves holds the last checkpoint, committed.
  auto store = checkpoint_store::open(dir);
  ASSERT_TRUE(store) << describe(store.error());
  ASSERT_TRUE((*store)->committed());
  EXPECT_EQ((*store)->committed()->first, 4u);
  auto states = (*store)->read("bench", 4);
  ASSERT_TRUE(states) << describe(states.error());
  EXPECT_EQ(states->size(), 2000u);
}

TEST_F(ShoalBenchCheckpoint, SaysWhenAnotherProcessHoldsTheStore) {
  auto dir = (dir_ / "held").string();
  auto held = checkpoint_store::open(dir);
  ASSERT_TRUE(held) << describe(held.error());
  auto res = bench("--nodes 100 --dir " + dir);
  EXPECT_EQ(res.exit_code, 1) << res.output;
  EXPECT_NE(res.output.find("checkpoint store " + dir + ": in use"),
            std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("another process"), std::string::npos)
    << res.output;
}

TEST_F(ShoalBenchCheckpoint, RefusesAStoreWithCheckpoints) {
  auto dir = (dir_ / "used").string();
  {
    auto store = checkpoint_store::open(dir);
    ASSERT_TRUE(store) << describe(store.error());
    ASSERT_FALSE((*store)->write("n1", 1, {{"a", "x"}}));
  }
  auto res = bench("--nodes 100 --dir " + dir);
  EXPECT_EQ(res.exit_code, 1) << res.output;
  EXPECT_NE(res.output.find("already holds a checkpoint store"),
            std::string::npos)
    << res.output;
}

TEST_F(ShoalBenchCheckpoint, BadOptionsExitTwo) {
  for (auto args :
       {"--nodes 0", "--changed 1.5", "--checkpoints", "--colour 3"}) {
    auto res = bench(args);
    EXPECT_EQ(res.exit_code, 2) << args << "\n" << res.output;
    EXPECT_NE(res.output.find("usage: shoal-bench checkpoint-store"),
              std::string::npos)
      << res.output;
  }
}
