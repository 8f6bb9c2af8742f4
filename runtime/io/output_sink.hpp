// Where emitted outputs go: a small interface so that the sink actor does not
// care whether rows end in a file, a socket or a test's memory.
//
// An output_sink is owned by one sink actor and used from it only.

#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "caf/error.hpp"

#include "runtime/core/output_row.hpp"
#include "runtime/core/types.hpp"

namespace shoal {

class output_sink {
public:
  virtual ~output_sink();

  /// Takes one output of node `node`.
  virtual void write(const std::string& node, point p) = 0;

  /// Takes `n` outputs of node `node` in order; the same as `write` for
  /// each, which is what it does unless a sink can do better.
  virtual void write_points(const std::string& node, const point* ps, size_t n);

  /// Pushes buffered rows out; returns an error if that failed.
  virtual caf::error flush() = 0;
};

/// Keeps every row in memory (tests, collecting a replay's outputs).
class memory_sink : public output_sink {
public:
  void write(const std::string& node, point p) override {
    rows.push_back(output_row{node, p.ts, p.value});
  }

  caf::error flush() override {
    return caf::none;
  }

  std::vector<output_row> rows;
};

/// Drops every row (live runs that only show status).
class discard_sink : public output_sink {
public:
  void write(const std::string&, point) override {
    // nop
  }

  caf::error flush() override {
    return caf::none;
  }
};

} // namespace shoal
