#include <gtest/gtest.h>

#include "runtime/cluster/cells.hpp"
#include "tests/runtime/cluster/small_graphs.hpp"

using namespace shoal;
using namespace shoal::test_support;

TEST(Cells, SensorsStartTheirOwnCells) {
  graph_spec g;
  add_sensor(g, "a");
  add_sensor(g, "b");
  EXPECT_EQ(assign_cells(g), (std::vector<size_t>{0, 1}));
}

TEST(Cells, ChainStaysInOneCell) {
  graph_spec g;
  add_chain(g, "a", 3);
  add_chain(g, "b", 2);
  EXPECT_EQ(assign_cells(g), (std::vector<size_t>{0, 0, 0, 0, 4, 4, 4}));
}

TEST(Cells, AnchorIsTheFirstInputWithoutTrigger) {
  node_spec n;
  n.needs = {"x", "y", "z"};
  EXPECT_EQ(anchor_input(n), 0u);
  graph_spec g;
  add_sensor(g, "x");
  add_sensor(g, "y");
  add_feature(g, "join", {"y", "x"});
  EXPECT_EQ(assign_cells(g)[2], 1u);
}

TEST(Cells, NodeJoinsTheCellOfItsFirstTriggerInput) {
  node_spec n;
  n.needs = {"x", "y", "z"};
  n.trigger = {"z", "x"};
  EXPECT_EQ(anchor_input(n), 2u);
  graph_spec g;
  add_sensor(g, "x");
  add_sensor(g, "y");
  add_feature(g, "join", {"x", "y"}, {"y"});
  add_feature(g, "after", {"join", "x"});
  EXPECT_EQ(assign_cells(g), (std::vector<size_t>{0, 1, 1, 1}));
}

TEST(Cells, FullCellLeavesTheRestToRunAlone) {
  graph_spec g;
  add_chain(g, "a", 4);
  add_feature(g, "side", {"a"});
  // Sensor and two features fill a cell of three; what follows a node that
  // runs alone runs alone too.
  EXPECT_EQ(assign_cells(g, 3),
            (std::vector<size_t>{0, 0, 0, no_cell, no_cell, no_cell}));
}

TEST(Cells, UnlimitedCellsHoldWholeChains) {
  graph_spec g;
  add_chain(g, "a", 200);
  auto cell = assign_cells(g);
  ASSERT_EQ(cell.size(), 201u);
  for (auto c : cell)
    EXPECT_EQ(c, 0u);
}

TEST(Cells, ResolvedAnchorsGiveTheSameCells) {
  graph_spec g;
  add_chain(g, "a", 2);
  add_sensor(g, "b");
  add_feature(g, "j", {"a.2", "b"}, {"b"});
  // Positions of each node's anchor input, as a deployment resolves them.
  std::vector<size_t> anchor{0, 0, 1, 0, 3};
  EXPECT_EQ(assign_cells(g, anchor, 2), assign_cells(g, 2));
  EXPECT_EQ(assign_cells(g, anchor, unlimited_cells), assign_cells(g));
  EXPECT_EQ(assign_cells(g), (std::vector<size_t>{0, 0, 0, 3, 3}));
}
