#include "runtime/graph/toml_fields.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/graph/graph_error.hpp"

namespace shoal {

namespace {

std::string quoted(std::string_view key) {
  std::string text = "'";
  text += key;
  text += '\'';
  return text;
}

/// Returns true if `x` is an integer or a float.
bool is_number(const toml::node& x) {
  return x.is_integer() || x.is_floating_point();
}

double to_double(const toml::node& x) {
  if (auto i = x.as_integer())
    return static_cast<double>(i->get());
  return x.as_floating_point()->get();
}

/// Returns the first element of `arr` that fails `pred`, or null.
template <class Pred>
const toml::node* first_not(const toml::array& arr, Pred pred) {
  for (const auto& elem : arr)
    if (!pred(elem))
      return &elem;
  return nullptr;
}

} // namespace

const char* toml_type_name(const toml::node& x) {
  switch (x.type()) {
    case toml::node_type::none: return "nothing";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
  }
  return "a value of unknown type";
}

field_reader::field_reader(const toml::table& tbl, const node_spec& who)
  : tbl_(tbl), who_(who) {
  // nop
}

caf::error field_reader::check_keys(
  std::initializer_list<std::string_view> allowed) const {
  // Tables iterate in key order; report the unknown key that comes first in
  // the file so that the message matches what the user reads top to bottom.
  const toml::key* worst = nullptr;
  for (const auto& [key, value] : tbl_) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end())
      continue;
    auto pos = key.source().begin;
    if (worst == nullptr || pos < worst->source().begin)
      worst = &key;
  }
  if (worst == nullptr)
    return caf::none;
  std::string reason = "unknown key " + quoted(worst->str()) + " (allowed:";
  for (auto name : allowed) {
    reason += ' ';
    reason += name;
  }
  reason += ')';
  return node_error(who_, reason);
}

bool field_reader::has(std::string_view key) const {
  return tbl_.contains(key);
}

caf::error field_reader::read(std::string_view key, std::string& out,
                              bool required) const {
  auto x = tbl_.get(key);
  if (x == nullptr)
    return required ? missing(key) : caf::none;
  auto str = x->as_string();
  if (str == nullptr)
    return wrong_type(key, "a string", *x);
  out = str->get();
  return caf::none;
}

caf::error field_reader::read(std::string_view key, bool& out) const {
  auto x = tbl_.get(key);
  if (x == nullptr)
    return caf::none;
  auto flag = x->as_boolean();
  if (flag == nullptr)
    return wrong_type(key, "a boolean (true or false)", *x);
  out = flag->get();
  return caf::none;
}

caf::error field_reader::read(std::string_view key, double& out) const {
  auto x = tbl_.get(key);
  if (x == nullptr)
    return caf::none;
  if (!is_number(*x))
    return wrong_type(key, "a number", *x);
  out = to_double(*x);
  return caf::none;
}

caf::error field_reader::read_param(std::string_view key, double& out) const {
  double x = 0;
  if (auto err = read(key, x); err || !has(key))
    return err;
  if (std::isnan(x))
    return node_error(who_, quoted(key) + " must be a number, not nan");
  out = x;
  return caf::none;
}

caf::error field_reader::read(std::string_view key,
                              std::vector<std::string>& out,
                              bool required) const {
  static constexpr const char* expected = "an array of strings";
  auto x = tbl_.get(key);
  if (x == nullptr)
    return required ? missing(key) : caf::none;
  auto arr = x->as_array();
  if (arr == nullptr)
    return wrong_type(key, expected, *x);
  auto is_string = [](const toml::node& e) {
    return e.is_string();
  };
  if (auto bad = first_not(*arr, is_string))
    return node_error(who_, quoted(key) + " must be " + expected
                              + ", not an array holding "
                              + toml_type_name(*bad));
  std::vector<std::string> result;
  result.reserve(arr->size());
  for (const auto& elem : *arr)
    result.emplace_back(elem.as_string()->get());
  out = std::move(result);
  return caf::none;
}

caf::error field_reader::read(std::string_view key,
                              std::vector<double>& out) const {
  static constexpr const char* expected = "an array of numbers";
  auto x = tbl_.get(key);
  if (x == nullptr)
    return caf::none;
  auto arr = x->as_array();
  if (arr == nullptr)
    return wrong_type(key, expected, *x);
  if (auto bad = first_not(*arr, is_number))
    return node_error(who_, quoted(key) + " must be " + expected
                              + ", not an array holding "
                              + toml_type_name(*bad));
  std::vector<double> result;
  result.reserve(arr->size());
  for (const auto& elem : *arr)
    result.push_back(to_double(elem));
  out = std::move(result);
  return caf::none;
}

caf::error field_reader::read_count(std::string_view key, int64_t& out) const {
  static constexpr const char* expected = "an integer >= 1";
  auto x = tbl_.get(key);
  if (x == nullptr)
    return caf::none;
  auto num = x->as_integer();
  if (num == nullptr)
    return wrong_type(key, expected, *x);
  if (num->get() < 1)
    return node_error(who_, quoted(key) + " must be " + expected + ", not "
                              + std::to_string(num->get()));
  out = num->get();
  return caf::none;
}

caf::error field_reader::missing(std::string_view key) const {
  return node_error(who_, "missing required key " + quoted(key));
}

caf::error field_reader::wrong_type(std::string_view key, const char* expected,
                                    const toml::node& actual) const {
  return node_error(who_, quoted(key) + " must be " + expected + ", not "
                            + toml_type_name(actual));
}

} // namespace shoal
