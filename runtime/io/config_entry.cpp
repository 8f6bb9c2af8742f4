#include "runtime/io/config_entry.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "runtime/graph/toml_fields.hpp"

namespace shoal {

config_entry::config_entry(const toml::table& tbl, std::string file,
                           std::string where)
  : tbl_(tbl), file_(std::move(file)), where_(std::move(where)) {
  // nop
}

caf::error config_entry::fail(const std::string& reason) const {
  return make_error(errc::invalid_config, where_ + ": " + reason);
}

caf::error
config_entry::check_keys(std::initializer_list<std::string_view> allowed,
                         const char* kind,
                         const std::vector<std::string_view>& shared) const {
  auto in = [](const auto& xs, std::string_view x) {
    return std::find(xs.begin(), xs.end(), x) != xs.end();
  };
  for (const auto& [key, value] : tbl_)
    if (!in(allowed, key.str()) && !in(shared, key.str())) {
      std::string reason = "unknown key '" + std::string{key.str()}
                           + "' for kind '" + kind + "' (allowed:";
      for (auto name : allowed)
        reason += " " + std::string{name};
      return fail(reason + ")");
    }
  return caf::none;
}

caf::error config_entry::read(std::string_view key, std::string& out,
                              bool required) const {
  auto x = tbl_.get(key);
  if (x == nullptr)
    return required ? fail("missing required key '" + std::string{key} + "'")
                    : caf::none;
  auto str = x->as_string();
  if (str == nullptr)
    return wrong_type(key, "a string", *x);
  if (str->get().empty())
    return fail("'" + std::string{key} + "' must not be empty");
  out = str->get();
  return caf::none;
}

caf::error config_entry::read(std::string_view key, int64_t& out, int64_t min,
                              int64_t max) const {
  auto x = tbl_.get(key);
  if (x == nullptr)
    return caf::none;
  auto num = x->as_integer();
  if (num == nullptr)
    return wrong_type(key, "an integer", *x);
  if (num->get() < min || num->get() > max)
    return fail("'" + std::string{key} + "' must be between "
                + std::to_string(min) + " and " + std::to_string(max) + ", not "
                + std::to_string(num->get()));
  out = num->get();
  return caf::none;
}

caf::error config_entry::read(std::string_view key, bool& out) const {
  auto x = tbl_.get(key);
  if (x == nullptr)
    return caf::none;
  auto flag = x->as_boolean();
  if (flag == nullptr)
    return wrong_type(key, "true or false", *x);
  out = flag->get();
  return caf::none;
}

caf::error config_entry::read(std::string_view key,
                              std::vector<std::string>& out) const {
  auto x = tbl_.get(key);
  if (x == nullptr)
    return caf::none;
  auto arr = x->as_array();
  if (arr == nullptr)
    return wrong_type(key, "an array of strings", *x);
  if (arr->empty())
    return fail("'" + std::string{key} + "' must not be empty");
  out.clear();
  for (size_t i = 0; i < arr->size(); ++i) {
    auto str = arr->get(i)->as_string();
    auto at = "'" + std::string{key} + "'[" + std::to_string(i) + "]";
    if (str == nullptr)
      return fail(at + " must be a string, not "
                  + toml_type_name(*arr->get(i)));
    if (str->get().empty())
      return fail(at + " must not be empty");
    out.push_back(str->get());
  }
  return caf::none;
}

caf::error config_entry::read_path(std::string_view key,
                                   std::string& out) const {
  std::string value;
  if (auto err = read(key, value, false))
    return err;
  if (value.empty())
    return caf::none;
  auto path = resolve(value);
  if (std::filesystem::is_directory(path) || !std::ifstream{path})
    return fail("'" + std::string{key} + "': cannot read '" + path + "'");
  out = std::move(path);
  return caf::none;
}

caf::error config_entry::read_qos(int& out) const {
  int64_t qos = out;
  if (auto err = read("qos", qos, 0, 1))
    return err;
  out = static_cast<int>(qos);
  return caf::none;
}

std::string config_entry::resolve(const std::string& p) const {
  namespace fs = std::filesystem;
  fs::path x{p};
  if (x.is_relative())
    x = fs::absolute(fs::path{file_}.parent_path() / x);
  return x.lexically_normal().string();
}

caf::error config_entry::wrong_type(std::string_view key, const char* expected,
                                    const toml::node& actual) const {
  return fail("'" + std::string{key} + "' must be " + expected + ", not "
              + toml_type_name(actual));
}

} // namespace shoal
