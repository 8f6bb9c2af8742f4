// When a member considers its cluster formed: another member known, or its
// seeds silent for four heartbeats.

#include <gtest/gtest.h>

#include "runtime/cluster/formation.hpp"

using namespace shoal;
using namespace std::chrono_literals;

TEST(ClusterFormation, AnotherMemberFormsItAtOnce) {
  EXPECT_TRUE(cluster_formed(2, 0ns, 500ms));
  EXPECT_TRUE(cluster_formed(5, 1ms, 500ms));
}

TEST(ClusterFormation, AloneAfterFourSilentHeartbeats) {
  EXPECT_FALSE(cluster_formed(1, 0ns, 100ms));
  EXPECT_FALSE(cluster_formed(1, 399ms, 100ms));
  EXPECT_TRUE(cluster_formed(1, 400ms, 100ms));
  EXPECT_FALSE(cluster_formed(1, 1999ms, 500ms));
  EXPECT_TRUE(cluster_formed(1, 2s, 500ms));
}
