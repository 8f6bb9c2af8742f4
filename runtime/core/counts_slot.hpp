// A node's counters as its actor last published them, for a reader on
// another thread.
//
// A cluster member's graph host answers status refreshes (one a second
// from every member) with the counters of all its nodes. Asking each node
// actor for them was one request and one response per node and refresh,
// which at thousands of nodes per member kept the members busy and
// delayed everything else; now each node actor publishes its counters
// into its slot after each batch it handled (a short, uncontended lock and
// a copy), and the host reads the slots. The actor is the only writer;
// the error text is copied only when it changed.

#pragma once

#include <memory>
#include <mutex>

#include "runtime/core/counters.hpp"

namespace shoal {

class counts_slot {
public:
  void publish(const node_counts& c) {
    std::lock_guard<std::mutex> guard{mtx_};
    node_.firings = c.firings;
    node_.outputs = c.outputs;
    node_.errors = c.errors;
    if (node_.last_error != c.last_error)
      node_.last_error = c.last_error;
  }

  void publish(const ingest_counts& c) {
    std::lock_guard<std::mutex> guard{mtx_};
    samples_ = c;
  }

  node_counts node() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return node_;
  }

  ingest_counts samples() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return samples_;
  }

private:
  mutable std::mutex mtx_;
  node_counts node_;
  ingest_counts samples_;
};

using counts_slot_ptr = std::shared_ptr<counts_slot>;

} // namespace shoal
