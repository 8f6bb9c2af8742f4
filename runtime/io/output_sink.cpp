#include "runtime/io/output_sink.hpp"

namespace shoal {

output_sink::~output_sink() = default;

void output_sink::write_points(const std::string& node, const point* ps,
                               size_t n) {
  for (size_t i = 0; i < n; ++i)
    write(node, ps[i]);
}

} // namespace shoal
