// The outputs of a benchmark run in compact form, to check that two runs
// produced the same outputs without slowing the runs down.
//
// An `output_log` keeps (hash of the node name, ts, value) per output: 24
// bytes and one hash of a short string per row, no table look-up, so that
// collecting outputs costs both runs little and the same. The names of the
// graph's emitting nodes are hashed once up front to check, when comparing,
// that every row belongs to one of them and to name nodes in messages. A
// 64-bit hash collision between two emitting nodes would make rows of the
// two indistinguishable; the log detects that and then refuses to compare.
// `log_sink` is the output_sink that fills one from the sink actor. Row
// order is not part of the contract (SPEC section 6), so comparing sorts
// first. Not thread-safe: one writer at a time, and read it only after the
// run ended.

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/graph/graph_spec.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

class output_log {
public:
  struct row {
    uint64_t node; // hash of the node's name
    int64_t ts;
    double value;

    friend bool operator==(const row& x, const row& y) {
      return x.node == y.node && x.ts == y.ts && x.value == y.value;
    }
  };

  output_log() = default;

  /// A log for the emitting nodes of `g`.
  explicit output_log(const graph_spec& g);

  /// Records an output of node `node`.
  void add(const std::string& node, int64_t ts, double value) {
    rows_.push_back(row{hash(node), ts, value});
    sorted_ = false;
  }

  size_t size() const {
    return rows_.size();
  }

  const std::vector<row>& rows() const {
    return rows_;
  }

  /// The name of the emitting node whose hash is `h` ("?" if none).
  std::string name_of(uint64_t h) const;

  /// Rows whose node is not an emitting node of the graph. Sorts.
  uint64_t unknown();

  /// Sorts by node hash, ts and value.
  void sort();

  /// Whether both logs hold the same rows in any order, all of emitting
  /// nodes. Sorts both. If not, `why` says where first.
  friend bool equal(output_log& x, output_log& y, std::string& why);

  static uint64_t hash(const std::string& name);

private:
  /// (hash, name) of every emitting node, sorted by hash.
  std::shared_ptr<const std::vector<std::pair<uint64_t, std::string>>> names_;
  bool collision_ = false;
  std::vector<row> rows_;
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
