#include "runtime/functions/node_fn.hpp"

namespace shoal {

node_fn::~node_fn() = default;

int64_t node_fn::due() const {
  return wm_end;
}

fn_status node_fn::flush(double&, std::string&) {
  return fn_status::none;
}

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
