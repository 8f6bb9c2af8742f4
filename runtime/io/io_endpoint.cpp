#include "runtime/io/io_endpoint.hpp"

namespace shoal {

io_endpoint::~io_endpoint() = default;

} // namespace shoal
