// Typed extraction of the fields of one node table of a graph file.
//
// A `field_reader` looks at one TOML table (`[[sensor]]`, `[[feature]]`,
// `[[model]]`) on behalf of one node and turns each key into a C++ value,
// failing with an `errc::invalid_graph` error of the form
//   "<file>: node '<name>': '<key>' must be <expected type>, not <actual>"
// when the TOML type is wrong. An absent optional key leaves the output
// untouched, so callers preset defaults. Integers are accepted wherever a
// number is expected. The reader borrows the table and the node spec (used
// only for error messages); both must outlive it. Not thread-safe; cheap to
// create, one per node table.

#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

#include "caf/error.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Returns the TOML type name of `x` for messages: "a string", "an integer",
/// "an array", ...
const char* toml_type_name(const toml::node& x);

class field_reader {
public:
  /// Reads from `tbl` for the node `who` (its `name` and `file` are used in
  /// error messages).
  field_reader(const toml::table& tbl, const node_spec& who);

  /// Fails on a key that is not in `allowed`, naming it; when several are
  /// unknown, names the first one in the file.
  caf::error check_keys(std::initializer_list<std::string_view> allowed) const;

  /// Whether `key` is present.
  bool has(std::string_view key) const;

  /// Reads a string; a missing required key is an error.
  caf::error read(std::string_view key, std::string& out,
                  bool required = false) const;

  /// Reads a boolean.
  caf::error read(std::string_view key, bool& out) const;

  /// Reads a number (integer or float).
  caf::error read(std::string_view key, double& out) const;

  /// Reads an optional number parameter, which must not be NaN (NaN stands
  /// for "not given" in `node_spec`).
  caf::error read_param(std::string_view key, double& out) const;

  /// Reads an array of strings; a missing required key is an error.
  caf::error read(std::string_view key, std::vector<std::string>& out,
                  bool required = false) const;

  /// Reads an array of numbers (integers or floats).
  caf::error read(std::string_view key, std::vector<double>& out) const;

  /// Reads an integer that must be at least 1 (window sizes).
  caf::error read_count(std::string_view key, int64_t& out) const;

private:
  caf::error missing(std::string_view key) const;

  caf::error wrong_type(std::string_view key, const char* expected,
                        const toml::node& actual) const;

  const toml::table& tbl_;
  const node_spec& who_;
};

} // namespace shoal
