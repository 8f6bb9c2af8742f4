// The size cap on a graph that travels to a member (SPEC section 9).
//
// A graph applied through shoalctl carries the bytes of its model files and
// its Lua code. Each file is capped when it is read (`read_bounded_file`, 64
// MiB); the whole graph is capped here, so that shoalctl refuses, before
// sending, what a member would have to hold in one message, and a member
// refuses what another client sent beyond it. Pure; thread-safe.

#pragma once

#include <cstdint>

#include "caf/error.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// The most bytes a graph sent to a member may carry: 256 MiB.
constexpr uint64_t max_applied_graph_bytes = uint64_t{256} << 20;

/// The bytes `g` carries on the wire: every string of every node, each
/// distinct model content once, and a few bytes per number and list.
uint64_t graph_wire_bytes(const graph_spec& g);

/// An `errc::invalid_graph` error when `g` carries more than `cap` bytes or
/// a content larger than the 64 MiB file cap: "the graph with its model and
/// Lua files is N bytes, more than the cap of M bytes (256 MiB)".
caf::error check_graph_size(const graph_spec& g,
                            uint64_t cap = max_applied_graph_bytes);

} // namespace shoal
