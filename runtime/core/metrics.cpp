#include "runtime/core/metrics.hpp"

namespace shoal {

metrics::shard& metrics::mine() {
  thread_local size_t index
    = next_.fetch_add(1, std::memory_order_relaxed) % shard_count;
  return shards_[index];
}

metrics& process_metrics() {
  static metrics instance;
  return instance;
}

} // namespace shoal
