// The outputs of a benchmark run in compact form, to check that two runs
// produced the same outputs without keeping a string per row.
//
// An `output_log` maps node names to their index in the graph once, then
// keeps (node index, ts, value) per output: 24 bytes a row. `log_sink` is the
// output_sink that fills one from the sink actor. Row order is not part of
// the contract (SPEC section 6), so comparing sorts first. Not thread-safe:
// one writer at a time, and read it only after the run ended.

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/graph_spec.hpp"
#include "runtime/output_sink.hpp"

namespace shoal {

class output_log {
public:
  struct row {
    uint32_t node;
    int64_t ts;
    double value;

    friend bool operator==(const row& x, const row& y) {
      return x.node == y.node && x.ts == y.ts && x.value == y.value;
    }
  };

  output_log() = default;

  /// A log for the nodes of `g`.
  explicit output_log(const graph_spec& g);

  /// Records an output of node `node`; an unknown name is counted apart.
  void add(const std::string& node, int64_t ts, double value);

  /// Sorts by node, ts and value; `equal` does it.
  void sort();

  size_t size() const {
    return rows_.size();
  }

  /// Outputs of names not in the graph (should stay 0).
  uint64_t unknown() const {
    return unknown_;
  }

  const std::vector<row>& rows() const {
    return rows_;
  }

  /// Whether both logs hold the same rows in any order. Sorts both. If they
  /// differ, `why` says where first.
  friend bool equal(output_log& x, output_log& y, std::string& why);

private:
  std::shared_ptr<const std::unordered_map<std::string, uint32_t>> index_;
  std::vector<row> rows_;
  uint64_t unknown_ = 0;
  bool sorted_ = true;
};

/// An output_sink that appends every output to a log it shares.
class log_sink : public output_sink {
public:
  explicit log_sink(std::shared_ptr<output_log> log) : log_(std::move(log)) {
    // nop
  }

  void write(const std::string& node, point p) override {
    log_->add(node, p.ts, p.value);
  }

  caf::error flush() override {
    return caf::none;
  }

private:
  std::shared_ptr<output_log> log_;
};

} // namespace shoal
