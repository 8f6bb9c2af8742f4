// How many actors a single-process deployment runs its cells in
// (`deploy_options::cell_groups`, actors/deploy/deployment.hpp): kept apart
// so that option structs of the tools can name the default without the
// deployment's headers.

#pragma once

#include <cstddef>
#include <cstdint>

namespace shoal {

/// `cell_groups` that picks `cell_groups_per_thread` groups per scheduler
/// thread.
constexpr size_t auto_cell_groups = SIZE_MAX;

/// Groups per scheduler thread by default: enough for the threads to share
/// the work when one group is busier than another, few enough that a
/// tick's samples make one message per group (docs/performance.md, "Cell
/// groups").
constexpr size_t cell_groups_per_thread = 4;

/// The most groups a command line may ask for (each is an actor; more than
/// sensors is no use, and a typo should not spawn millions).
constexpr size_t max_cell_groups = 1 << 20;

} // namespace shoal
