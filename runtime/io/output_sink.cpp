#include "runtime/io/output_sink.hpp"

namespace shoal {

output_sink::~output_sink() = default;

} // namespace shoal
