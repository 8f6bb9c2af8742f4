// Cells: which nodes of a graph run together. The one definition of a cell.
//
// A sensor starts a cell; a feature or model joins the cell of its anchor,
// the input whose batches make it fire (its first trigger input, or its
// first input when every input triggers it), while that cell has fewer
// than `capacity` nodes; a node whose anchor has no cell (a full cell, or
// an anchor that runs alone) has none and runs alone. Nodes come in
// topological order, so a sensor's chain of features and models ends up in
// its cell. Anchoring on the trigger keeps the edge that fires a node
// inside its cell: a function call in a cell actor, a local message on a
// cluster member.
//
// Both users take this definition and differ only in `capacity`: a
// single-process deployment (actors/deploy/deployment.cpp) runs a cell as
// one actor and caps it at `cell_capacity`, because a larger cell would
// serialize work that other threads could share; the cluster
// (runtime/cluster/placement.hpp) runs one actor per node and uses a cell
// as the unit it places and moves whole, so it passes `unlimited_cells`
// and every node has a cell. Pure functions over values; thread-safe.

#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// The cell of a node that runs alone.
constexpr size_t no_cell = SIZE_MAX;

/// A capacity that never fills: every node has a cell.
constexpr size_t unlimited_cells = SIZE_MAX;

/// The position in `n.needs` of the input whose cell `n` joins: its first
/// trigger input, or 0 when `trigger` is empty. `n` must have inputs.
size_t anchor_input(const node_spec& n);

/// The cell of every node of the validated `g`, indexed like `g.nodes`: a
/// cell is named by the position of its sensor in `g.nodes`, so a sensor's
/// cell is its own position; `no_cell` for a node that runs alone.
/// `anchor[i]` is the position in `g.nodes` of node `i`'s anchor input
/// (ignored for sensors), for callers that already resolved names.
std::vector<size_t> assign_cells(const graph_spec& g,
                                 const std::vector<size_t>& anchor,
                                 size_t capacity);

/// As above, looking the anchors up by name.
std::vector<size_t> assign_cells(const graph_spec& g,
                                 size_t capacity = unlimited_cells);

} // namespace shoal
