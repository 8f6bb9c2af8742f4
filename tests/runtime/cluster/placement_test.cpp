#include <gtest/gtest.h>

#include "runtime/cluster/placement.hpp"
#include "tests/runtime/cluster/small_graphs.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// The number of nodes placed on each of `members` members.
std::vector<size_t> nodes_per_member(const std::vector<size_t>& where,
                                     size_t members) {
  std::vector<size_t> n(members, 0);
  for (auto m : where)
    ++n.at(m);
  return n;
}

/// Loads of an idle cluster: node counts, one per node placed.
member_loads idle(std::vector<double> nodes) {
  member_loads x;
  x.load = std::move(nodes);
  return x;
}

} // namespace

// -- first placement ----------------------------------------------------------

TEST(Placement, OneMemberRunsEverything) {
  graph_spec g;
  add_chain(g, "a", 2);
  add_chain(g, "b", 1);
  EXPECT_EQ(place_graph(g, 1), (std::vector<size_t>(5, 0)));
}

TEST(Placement, FirstPlacementKeepsCellsTogether) {
  graph_spec g;
  add_chain(g, "a", 2);
  add_sensor(g, "b");
  add_feature(g, "j", {"a.2", "b"}, {"b"});
  auto where = place_graph(g, 2);
  // `j` fires on `b`: it runs where `b` does.
  EXPECT_EQ(where, (std::vector<size_t>{0, 0, 0, 1, 1}));
}

TEST(Placement, FirstPlacementGoesLargestFirst) {
  graph_spec g;
  add_chain(g, "small", 0);
  add_chain(g, "large", 2);
  add_chain(g, "medium", 1);
  auto where = place_graph(g, 2);
  // large (3) to member 0, medium (2) to member 1, small (1) to the member
  // with fewer nodes: member 1.
  EXPECT_EQ(where, (std::vector<size_t>{1, 0, 0, 0, 1, 1}));
  EXPECT_EQ(nodes_per_member(where, 2), (std::vector<size_t>{3, 3}));
}

TEST(Placement, FirstPlacementBalancesNodeCounts) {
  graph_spec g;
  for (auto name : {"a", "b", "c", "d", "e", "f"})
    add_chain(g, name, 1);
  EXPECT_EQ(nodes_per_member(place_graph(g, 3), 3),
            (std::vector<size_t>{4, 4, 4}));
}

TEST(Placement, FirstPlacementBreaksTiesBySensorAndMemberOrder) {
  graph_spec g;
  add_chain(g, "a", 1);
  add_chain(g, "b", 1);
  add_chain(g, "c", 1);
  auto where = place_graph(g, 2);
  EXPECT_EQ(where, (std::vector<size_t>{0, 0, 1, 1, 0, 0}));
  EXPECT_EQ(where, place_graph(g, 2));
}

// -- new nodes on a running graph ---------------------------------------------

TEST(Placement, ReplacedNodeStaysOnItsMember) {
  graph_spec g;
  add_chain(g, "a", 1);
  auto where
    = place_new_nodes(g, {"a.1"}, {{"a", 0}, {"a.1", 1}}, idle({10, 0}));
  EXPECT_EQ(where, (std::vector<size_t>{1}));
}

TEST(Placement, NewNodesFollowTheirFirstInput) {
  graph_spec g;
  add_chain(g, "a", 1);
  add_sensor(g, "b");
  add_feature(g, "j", {"a.1", "b"});
  add_feature(g, "k", {"j"});
  auto where = place_new_nodes(g, {"j", "k"}, {{"a", 1}, {"a.1", 1}, {"b", 0}},
                               idle({0, 10}));
  EXPECT_EQ(where, (std::vector<size_t>{1, 1}));
}

TEST(Placement, NewNodesFollowTheirTriggerInput) {
  graph_spec g;
  add_sensor(g, "a");
  add_sensor(g, "b");
  add_feature(g, "j", {"a", "b"}, {"b"});
  auto where = place_new_nodes(g, {"j"}, {{"a", 0}, {"b", 1}}, idle({0, 10}));
  EXPECT_EQ(where, (std::vector<size_t>{1}));
}

TEST(Placement, RootsGoToTheLeastLoadedMember) {
  graph_spec g;
  add_sensor(g, "a");
  add_sensor(g, "b");
  add_sensor(g, "c");
  member_loads loads;
  loads.load = {500, 120, 300};
  loads.per_node = 100;
  // b to member 1 (120 -> 220), then c to member 1 again (220 < 300);
  // when a node weighs more, c goes to member 2 instead (320 > 300).
  EXPECT_EQ(place_new_nodes(g, {"b", "c"}, {{"a", 0}}, loads),
            (std::vector<size_t>{1, 1}));
  loads.per_node = 200;
  EXPECT_EQ(place_new_nodes(g, {"b", "c"}, {{"a", 0}}, loads),
            (std::vector<size_t>{1, 2}));
}

TEST(Placement, RootTiesGoToTheLowestMember) {
  graph_spec g;
  add_sensor(g, "a");
  add_sensor(g, "b");
  EXPECT_EQ(place_new_nodes(g, {"a", "b"}, {}, idle({3, 3, 3})),
            (std::vector<size_t>{0, 1}));
}

TEST(Placement, FailoverSpreadsDeadMembersNodesOverSurvivors) {
  graph_spec g;
  add_chain(g, "live", 1);
  add_chain(g, "a", 2);
  add_chain(g, "b", 2);
  add_chain(g, "c", 2);
  // The chains a, b and c ran on a member that died; `live.1` ran there
  // too but follows its sensor. Two survivors, idle, each with one node.
  std::vector<std::string> dead{"live.1", "a",   "a.1", "a.2", "b",
                                "b.1",    "b.2", "c",   "c.1", "c.2"};
  auto where = place_new_nodes(g, dead, {{"live", 1}}, idle({1, 1}));
  EXPECT_EQ(where, (std::vector<size_t>{1, 0, 0, 0, 1, 1, 1, 0, 0, 0}));
  // Chains stay whole; the survivors end at 7 and 5 nodes.
  EXPECT_EQ(nodes_per_member(where, 2), (std::vector<size_t>{6, 4}));
}

TEST(Placement, MeasuredRatesDecideWhenThereAreAny) {
  auto x = estimate_loads({2, 6}, {300, 100});
  EXPECT_EQ(x.load, (std::vector<double>{300, 100}));
  EXPECT_DOUBLE_EQ(x.per_node, 50);
}

TEST(Placement, NodeCountsDecideOnAnIdleCluster) {
  auto x = estimate_loads({2, 6}, {0, 0});
  EXPECT_EQ(x.load, (std::vector<double>{2, 6}));
  EXPECT_DOUBLE_EQ(x.per_node, 1);
}

// -- re-balancing -------------------------------------------------------------

TEST(Placement, RebalanceNarrowsTheGap) {
  graph_spec g;
  add_chain(g, "hot", 1);
  add_chain(g, "cool", 1);
  std::unordered_map<std::string, std::string> member_of{
    {"hot", "a"}, {"hot.1", "a"}, {"cool", "a"}, {"cool.1", "a"}};
  std::unordered_map<std::string, double> cost{{"hot", 50}, {"hot.1", 48}};
  // a carries 102, b nothing: the hot cell (100) moves, which leaves a gap
  // of 98; moving either cell again would not narrow it.
  auto target = plan_rebalance(g, member_of, {"a", "b"}, cost);
  EXPECT_EQ(target,
            (std::map<std::string, std::string>{{"hot", "b"}, {"hot.1", "b"}}));
}

TEST(Placement, RebalanceMovesEnoughCellsToNarrowTheGap) {
  graph_spec g;
  std::unordered_map<std::string, std::string> member_of;
  for (auto name : {"a", "b", "c", "d"}) {
    add_chain(g, name, 1);
    member_of[name] = "old";
    member_of[std::string{name} + ".1"] = "old";
  }
  auto target = plan_rebalance(g, member_of, {"new", "old"}, {});
  // Eight nodes of cost one: two cells of two move, four and four.
  EXPECT_EQ(target,
            (std::map<std::string, std::string>{
              {"a", "new"}, {"a.1", "new"}, {"b", "new"}, {"b.1", "new"}}));
}

TEST(Placement, RebalanceProposesNothingWhenMovingWouldNotHelp) {
  graph_spec g;
  add_chain(g, "only", 3);
  std::unordered_map<std::string, std::string> member_of{
    {"only", "a"}, {"only.1", "a"}, {"only.2", "a"}, {"only.3", "a"}};
  // One cell: moving it would only swap which member is busy.
  EXPECT_TRUE(plan_rebalance(g, member_of, {"a", "b"}, {}).empty());
  // Balanced already.
  add_chain(g, "other", 3);
  for (auto name : {"other", "other.1", "other.2", "other.3"})
    member_of[name] = "b";
  EXPECT_TRUE(plan_rebalance(g, member_of, {"a", "b"}, {}).empty());
}

TEST(Placement, RebalanceMovesOnlyCellsOnOneLiveMember) {
  graph_spec g;
  add_chain(g, "split", 3);
  add_chain(g, "gone", 3);
  std::unordered_map<std::string, std::string> member_of{
    {"split", "a"},     {"split.1", "a"},  {"split.2", "b"},
    {"split.3", "a"},   {"gone", "dead"},  {"gone.1", "dead"},
    {"gone.2", "dead"}, {"gone.3", "dead"}};
  // The split cell does not move whole; the cell on a dead member is
  // failover's to place, never a target's load.
  EXPECT_TRUE(plan_rebalance(g, member_of, {"a", "b", "c"}, {}).empty());
}

// -- planned leave ------------------------------------------------------------

TEST(Placement, LeaveSpreadsCellsOverTheMembersThatStay) {
  graph_spec g;
  add_chain(g, "big", 2);
  add_chain(g, "small", 1);
  add_chain(g, "kept", 1);
  std::unordered_map<std::string, std::string> member_of{
    {"big", "x"},     {"big.1", "x"}, {"big.2", "x"}, {"small", "x"},
    {"small.1", "x"}, {"kept", "b"},  {"kept.1", "b"}};
  // The big cell (3) goes first, to a (load 0, b has 2); then a carries 3
  // and b 2: the small cell (2) goes to b.
  auto target = plan_leave(g, member_of, {"a", "b", "x"}, {}, "x");
  EXPECT_EQ(target, (std::map<std::string, std::string>{{"big", "a"},
                                                        {"big.1", "a"},
                                                        {"big.2", "a"},
                                                        {"small", "b"},
                                                        {"small.1", "b"}}));
}

TEST(Placement, LeaveMovesTheLeavingPartOfASplitCell) {
  graph_spec g;
  add_chain(g, "s", 2);
  std::unordered_map<std::string, std::string> member_of{
    {"s", "a"}, {"s.1", "x"}, {"s.2", "x"}};
  auto target = plan_leave(g, member_of, {"a", "b", "x"}, {}, "x");
  // a carries 1, b nothing: the part on x goes to b, together.
  EXPECT_EQ(target,
            (std::map<std::string, std::string>{{"s.1", "b"}, {"s.2", "b"}}));
}

TEST(Placement, LeaveWithNobodyToTakeOverMovesNothing) {
  graph_spec g;
  add_chain(g, "s", 1);
  std::unordered_map<std::string, std::string> member_of{{"s", "x"},
                                                         {"s.1", "x"}};
  EXPECT_TRUE(plan_leave(g, member_of, {"x"}, {}, "x").empty());
}
