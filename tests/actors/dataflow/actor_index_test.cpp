// The index of actors in a vector gives the answers of a linear search.

#include <gtest/gtest.h>

#include "actors/dataflow/actor_index.hpp"
#include "tests/support/test_system.hpp"

using namespace shoal;
using namespace shoal::test_support;

TEST(ActorIndex, FindsTheFirstEqualEntryLikeALinearSearch) {
  test_system ts;
  std::vector<caf::actor> xs;
  for (int i = 0; i < 40; ++i)
    xs.push_back(ts.spawn([]() -> caf::behavior {
      return {[](int) {}};
    }));
  std::vector<caf::actor> items;
  actor_index index;
  auto same = [](const caf::actor& x) -> const caf::actor& {
    return x;
  };
  for (size_t i = 0; i < xs.size(); ++i) {
    items.push_back(xs[i]);
    index.pushed(items, same);
    for (size_t k = 0; k <= i; ++k)
      ASSERT_EQ(index.find(items, xs[k], same), k);
    if (i + 1 < xs.size()) {
      ASSERT_EQ(index.find(items, xs[i + 1], same), actor_index::npos);
    }
  }
  // A duplicate behind the first: the first is found.
  items.push_back(xs[3]);
  index.pushed(items, same);
  EXPECT_EQ(index.find(items, xs[3], same), 3u);
  // Entry 5 becomes xs[6]: both xs[6] entries, the first one wins.
  index.replaced(xs[5], xs[6], 5);
  items[5] = xs[6];
  EXPECT_EQ(index.find(items, xs[6], same), 5u);
  EXPECT_EQ(index.find(items, xs[5], same), actor_index::npos);
  // After an erase, everything moves up by one.
  items.erase(items.begin());
  index.rebuild(items, same);
  EXPECT_EQ(index.find(items, xs[0], same), actor_index::npos);
  EXPECT_EQ(index.find(items, xs[1], same), 0u);
  EXPECT_EQ(index.find(items, xs[39], same), 38u);
  // Too small to keep an index: a linear search gives the same answers.
  items.resize(3);
  index.rebuild(items, same);
  EXPECT_EQ(index.find(items, xs[3], same), 2u);
  EXPECT_EQ(index.find(items, xs[4], same), actor_index::npos);
}
