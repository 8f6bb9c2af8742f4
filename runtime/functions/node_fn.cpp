#include "runtime/functions/node_fn.hpp"

namespace shoal {

node_fn::~node_fn() = default;

size_t node_fn::memory_bytes() const {
  return 0;
}

bool node_fn::save(state_writer&, std::string&) const {
  return true;
}

bool node_fn::load(state_reader&, std::string&) {
  return true;
}

} // namespace shoal
