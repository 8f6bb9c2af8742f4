// An output_sink that hands every output to several sinks (a member
// configured with more than one `[[sink]]`).
//
// `write` goes to every sink in order; `flush` flushes all of them and
// returns the first error. Owns its sinks (shared, so that status can
// still read the network ones); used by one sink actor.

#pragma once

#include <memory>
#include <vector>

#include "runtime/io/output_sink.hpp"

namespace shoal {

class fanout_sink : public output_sink {
public:
  explicit fanout_sink(std::vector<std::shared_ptr<output_sink>> sinks);

  void write(const std::string& node, point p) override;

  caf::error flush() override;

  const std::vector<std::shared_ptr<output_sink>>& sinks() const {
    return sinks_;
  }

private:
  std::vector<std::shared_ptr<output_sink>> sinks_;
};

} // namespace shoal
