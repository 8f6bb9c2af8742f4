#include "runtime/node_fn.hpp"

namespace shoal {

node_fn::~node_fn() = default;

size_t node_fn::memory_bytes() const {
  return 0;
}

} // namespace shoal
