// Status models for the HTTP tests: a plant-like graph of any size.
//
// Nodes are named plant.a<area>.u<unit>.<name>, ten to a unit (five
// sensors, four features over two sensors each, one model over the
// features), fifty units to an area, and placed on the members round-robin
// by unit. Every third unit's model fails now and then; models have
// latencies. Deterministic.

#pragma once

#include <cstddef>

#include "runtime/http/status_model.hpp"

namespace shoal::test_support {

status_model sample_status(size_t members, size_t nodes);

} // namespace shoal::test_support
