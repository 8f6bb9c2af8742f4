// The fixture of the graph loader's tests (tests/runtime/graph_loader_*.cpp):
// a fresh directory per test to write graph files into, and the error text
// of parsing one.

#pragma once

#include <cstdint>
#include <gtest/gtest.h>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "tests/support/temp_files.hpp"

namespace shoal::test_support {

/// A template of two nodes, `${id}.temp` and the linear model `${id}.over`
/// whose bias is `${limit}`, for the template tests.
inline const std::string two_node_pump = R"([[template]]
name = "pump"
params = ["id", "limit"]
[[template.sensor]]
name = "${id}.temp"
[[template.model]]
name = "${id}.over"
kind = "linear"
needs = ["${id}.temp"]
weights = [1.0]
bias = "${limit}"
)";

/// A graph of the pump template and `rest`.
inline std::string with_pump(const std::string& rest) {
  return two_node_pump + rest;
}

/// Gives each test a fresh directory for its graph files.
class GraphLoader : public temp_dir_test {
protected:
  /// Parses `text` as the graph file main.toml and returns the error text.
  std::string parse_error_of(const std::string& text) {
    auto g = parse_graph_file(write("main.toml", text));
    if (g)
      return "no error";
    EXPECT_EQ(g.error().code(), static_cast<uint8_t>(errc::invalid_graph));
    return describe(g.error());
  }

  std::string main_file() const {
    return (dir_ / "main.toml").string();
  }
};

} // namespace shoal::test_support
