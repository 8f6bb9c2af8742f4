#include "runtime/metrics.hpp"

namespace shoal {

metrics& process_metrics() {
  static metrics instance;
  return instance;
}

} // namespace shoal
