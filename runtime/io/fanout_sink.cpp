#include "runtime/io/fanout_sink.hpp"

namespace shoal {

fanout_sink::fanout_sink(std::vector<std::shared_ptr<output_sink>> sinks)
  : sinks_(std::move(sinks)) {
  // nop
}

void fanout_sink::write(const std::string& node, point p) {
  for (auto& s : sinks_)
    s->write(node, p);
}

caf::error fanout_sink::flush() {
  caf::error first;
  for (auto& s : sinks_) {
    auto err = s->flush();
    if (err && !first)
      first = std::move(err);
  }
  return first;
}

} // namespace shoal
