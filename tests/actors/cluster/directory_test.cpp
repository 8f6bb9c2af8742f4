// The directory of a cluster deployment: order, lookups, moves, and a trip
// through CAF's binary serialization (as in deploy and status messages).

#include <gtest/gtest.h>

#include "caf/all.hpp"
#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"

#include "actors/cluster/directory.hpp"
#include "actors/deploy/system_config.hpp"

using namespace shoal;

namespace {

caf::behavior idle() {
  return {[](int) {}};
}

} // namespace

TEST(Directory, KeepsTheOrderOfPlacementAndFindsByName) {
  directory dir;
  dir.put("b.temp", caf::actor{}, "n2");
  dir.put("a.temp", caf::actor{}, "n1");
  dir.put("m.sum", caf::actor{}, "n2");
  ASSERT_EQ(dir.size(), 3u);
  EXPECT_EQ(dir.names(),
            (std::vector<std::string>{"b.temp", "a.temp", "m.sum"}));
  ASSERT_NE(dir.find("a.temp"), nullptr);
  EXPECT_EQ(dir.find("a.temp")->member, "n1");
  EXPECT_EQ(dir.find("nope"), nullptr);
  EXPECT_FALSE(dir.actor_of("nope"));
  EXPECT_EQ(dir.count_on("n2"), 2u);
  EXPECT_EQ(dir.count_on("n3"), 0u);
}

TEST(Directory, AMovedNodeKeepsItsPlace) {
  caf::actor_system_config cfg;
  configure_system(cfg, 1);
  caf::actor_system sys{cfg};
  auto x = sys.spawn(idle);
  directory dir;
  dir.put("a.temp", caf::actor{}, "n1");
  dir.put("a.mean", caf::actor{}, "n1");
  dir.put("a.temp", x, "n2");
  EXPECT_EQ(dir.names(), (std::vector<std::string>{"a.temp", "a.mean"}));
  EXPECT_EQ(dir.actor_of("a.temp"), x);
  EXPECT_EQ(dir.find("a.temp")->member, "n2");
  EXPECT_EQ(dir.count_on("n1"), 1u);
  caf::anon_send_exit(x, caf::exit_reason::user_shutdown);
}

TEST(Directory, CrossesTheNetworkWithItsActorsAndLookups) {
  caf::actor_system_config cfg;
  configure_system(cfg, 1);
  caf::actor_system sys{cfg};
  auto x = sys.spawn(idle);
  auto y = sys.spawn(idle);
  directory dir;
  dir.put("a.temp", x, "n1");
  dir.put("a.mean", y, "n2");
  std::vector<char> buf;
  caf::binary_serializer out{sys, buf};
  ASSERT_FALSE(out(dir));
  directory back;
  back.put("stale", caf::actor{}, "n9");
  caf::binary_deserializer in{sys, buf};
  ASSERT_FALSE(in(back));
  EXPECT_EQ(back.names(), dir.names());
  EXPECT_EQ(back.actors(), dir.actors());
  EXPECT_EQ(back.find("stale"), nullptr);
  ASSERT_NE(back.find("a.mean"), nullptr);
  EXPECT_EQ(back.find("a.mean")->member, "n2");
  EXPECT_EQ(back.actor_of("a.temp"), x);
  caf::anon_send_exit(x, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(y, caf::exit_reason::user_shutdown);
}
