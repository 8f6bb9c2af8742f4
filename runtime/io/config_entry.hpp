// Reading the keys of one `[[source]]` or `[[sink]]` table of a member's
// configuration file, for `parse_io_config`.
//
// Every error is an `errc::invalid_config` error that names the file, the
// entry and the key: "<file>: sink #3: 'qos' must be between 0 and 1, not
// 2". File paths in values are resolved against the configuration file's
// folder. The reader refers to the table it reads; it does not own it. Pure
// apart from `read_path`, which checks that a file can be read.

#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

#include "caf/error.hpp"

#include "runtime/core/errc.hpp"
#include "runtime/io/net_address.hpp"

namespace shoal {

class config_entry {
public:
  /// Reads `tbl`, found in the configuration file `file` at `where`
  /// ("<file>: source #2").
  config_entry(const toml::table& tbl, std::string file, std::string where);

  caf::error fail(const std::string& reason) const;

  /// Fails on the first key that is neither in `allowed` nor in `shared`;
  /// the message lists `allowed` (the kind's own keys).
  caf::error check_keys(std::initializer_list<std::string_view> allowed,
                        const char* kind,
                        const std::vector<std::string_view>& shared = {}) const;

  bool has(std::string_view key) const {
    return tbl_.contains(key);
  }

  /// A non-empty string.
  caf::error read(std::string_view key, std::string& out, bool required) const;

  /// An integer in [min, max].
  caf::error read(std::string_view key, int64_t& out, int64_t min,
                  int64_t max) const;

  caf::error read(std::string_view key, bool& out) const;

  /// A non-empty array of non-empty strings.
  caf::error read(std::string_view key, std::vector<std::string>& out) const;

  /// A path to a readable file, made absolute against the configuration
  /// file's folder.
  caf::error read_path(std::string_view key, std::string& out) const;

  caf::error read_qos(int& out) const;

  /// The path `p` made absolute against the configuration file's folder.
  std::string resolve(const std::string& p) const;

  template <class Parse>
  caf::error read_address(std::string_view key, std::string* text,
                          net_address& out, Parse parse) const {
    std::string value;
    if (auto err = read(key, value, true))
      return err;
    auto addr = parse(value);
    if (!addr)
      return fail("'" + std::string{key} + "': " + describe(addr.error()));
    out = std::move(*addr);
    if (text != nullptr)
      *text = std::move(value);
    return caf::none;
  }

private:
  caf::error wrong_type(std::string_view key, const char* expected,
                        const toml::node& actual) const;

  const toml::table& tbl_;
  std::string file_;
  std::string where_;
};

} // namespace shoal
