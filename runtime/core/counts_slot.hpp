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
//
// A node's counters travel with it (a move, a restore from a checkpoint),
// so the counters it arrived with are not work of the member it arrived
// at: the actor publishes them once with `arrive`, and `node_here` and
// `samples_here` give what it counted since (what /metrics exports for
// this member, docs/http.md).

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

  /// The node arrived here with the counters `c`: publishes them, and
  /// keeps them as the base of what it counts here.
  void arrive(const node_counts& c) {
    std::lock_guard<std::mutex> guard{mtx_};
    node_ = c;
    node_base_ = c;
  }

  void arrive(const ingest_counts& c) {
    std::lock_guard<std::mutex> guard{mtx_};
    samples_ = c;
    samples_base_ = c;
  }

  node_counts node() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return node_;
  }

  ingest_counts samples() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return samples_;
  }

  /// What the node counted since it arrived here (all of it if it started
  /// here).
  node_counts node_here() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return counted_since(node_, node_base_);
  }

  ingest_counts samples_here() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return counted_since(samples_, samples_base_);
  }

private:
  mutable std::mutex mtx_;
  node_counts node_;
  ingest_counts samples_;
  node_counts node_base_;
  ingest_counts samples_base_;
};

using counts_slot_ptr = std::shared_ptr<counts_slot>;

} // namespace shoal
