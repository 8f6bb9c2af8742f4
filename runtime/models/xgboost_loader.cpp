// Reading XGBoost model files: JSON and UBJSON into an `xgb_model_desc`.
//
// Both formats go through nlohmann::json with float32 as its floating-point
// type: XGBoost writes its floats as float32 (typed `[$d#` arrays in UBJSON,
// shortest round-trip decimals in JSON), and reading the decimals straight
// into float avoids a double rounding. nlohmann throws; this file catches at
// the edge and turns everything into error values.

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "runtime/core/bounded_file.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/models/xgboost_model.hpp"

namespace shoal {

namespace {

using fjson = nlohmann::basic_json<std::map, std::vector, std::string, bool,
                                   std::int64_t, std::uint64_t, float>;

caf::error not_a_model(const std::string& why) {
  return make_error(errc::invalid_input, "not an XGBoost model (" + why + ")");
}

caf::error corrupt(const std::string& why) {
  return make_error(errc::invalid_input, "corrupt model (" + why + ")");
}

/// Walks a parsed document by dotted paths and remembers the first problem.
class reader {
public:
  caf::error err;

  /// Returns the member `key` of `obj`, or null after recording an error.
  const fjson* at(const fjson* obj, const char* key, const std::string& path) {
    if (obj == nullptr)
      return nullptr;
    auto i = obj->find(key);
    if (obj->is_object() && i != obj->end())
      return &*i;
    fail("'" + path + "' is missing");
    return nullptr;
  }

  std::string text(const fjson* x, const std::string& path) {
    if (x != nullptr && x->is_string())
      return x->get<std::string>();
    if (x != nullptr)
      fail("'" + path + "' is not a string");
    return {};
  }

  /// XGBoost keeps its parameters as strings of numbers.
  int64_t integer(const fjson* x, const std::string& path) {
    auto str = text(x, path);
    if (err)
      return 0;
    errno = 0;
    char* end = nullptr;
    auto res = std::strtoll(str.c_str(), &end, 10);
    if (str.empty() || *end != '\0' || errno != 0)
      fail("'" + path + "' is not an integer: '" + str + "'");
    return res;
  }

  float real(const fjson* x, const std::string& path) {
    auto str = text(x, path);
    // Later versions write a vector intercept, "[5E-1]".
    if (str.size() > 2 && str.front() == '[' && str.back() == ']')
      str = str.substr(1, str.size() - 2);
    if (err)
      return 0;
    char* end = nullptr;
    auto res = std::strtof(str.c_str(), &end);
    if (str.empty() || *end != '\0')
      fail("'" + path + "' is not a number: '" + str + "'");
    return res;
  }

  template <class T>
  std::vector<T> array(const fjson* x, const std::string& path) {
    std::vector<T> res;
    if (x == nullptr)
      return res;
    if (!x->is_array()) {
      fail("'" + path + "' is not an array");
      return res;
    }
    res.reserve(x->size());
    for (const auto& e : *x) {
      if (e.is_number_float() && std::is_floating_point<T>::value)
        res.push_back(static_cast<T>(e.get<float>()));
      else if (e.is_number_unsigned())
        res.push_back(static_cast<T>(e.get<uint64_t>()));
      else if (e.is_number_integer())
        res.push_back(static_cast<T>(e.get<int64_t>()));
      else if (e.is_boolean() && !std::is_floating_point<T>::value)
        res.push_back(static_cast<T>(e.get<bool>()));
      else if (e.is_string() && std::is_floating_point<T>::value
               && non_finite(e.get_ref<const std::string&>(), res))
        continue;
      else {
        fail("'" + path + "' holds a " + e.type_name());
        return res;
      }
    }
    return res;
  }

private:
  /// Appends the value of a word that `quote_non_finite` quoted.
  template <class T>
  static bool non_finite(const std::string& word, std::vector<T>& out) {
    if (word == "NaN")
      out.push_back(std::numeric_limits<T>::quiet_NaN());
    else if (word == "Infinity" || word == "-Infinity")
      out.push_back(word[0] == '-' ? -std::numeric_limits<T>::infinity()
                                   : std::numeric_limits<T>::infinity());
    else
      return false;
    return true;
  }

  void fail(std::string why) {
    if (!err)
      err = corrupt(std::move(why));
  }
};

xgb_tree_arrays read_tree(reader& r, const fjson& tree, size_t index) {
  auto path = "trees[" + std::to_string(index) + "].";
  auto get = [&](const char* key) {
    return r.at(&tree, key, path + key);
  };
  xgb_tree_arrays res;
  res.left = r.array<int64_t>(get("left_children"), path + "left_children");
  res.right = r.array<int64_t>(get("right_children"), path + "right_children");
  res.split_index
    = r.array<int64_t>(get("split_indices"), path + "split_indices");
  res.conditions
    = r.array<float>(get("split_conditions"), path + "split_conditions");
  res.default_left
    = r.array<uint8_t>(get("default_left"), path + "default_left");
  // Only written by versions that know categorical splits.
  if (tree.contains("split_type"))
    res.split_type = r.array<uint8_t>(&tree["split_type"], path + "split_type");
  return res;
}

caf::expected<xgb_model_desc> read_desc(const fjson& doc) {
  if (!doc.is_object() || !doc.contains("learner"))
    return not_a_model("no 'learner' object");
  reader r;
  auto learner = r.at(&doc, "learner", "learner");
  auto booster = r.at(learner, "gradient_booster", "learner.gradient_booster");
  auto params
    = r.at(learner, "learner_model_param", "learner.learner_model_param");
  xgb_model_desc res;
  res.booster = r.text(r.at(booster, "name", "gradient_booster.name"),
                       "gradient_booster.name");
  res.objective = r.text(r.at(r.at(learner, "objective", "learner.objective"),
                              "name", "learner.objective.name"),
                         "learner.objective.name");
  if (r.err)
    return std::move(r.err);
  // Booster and objective first: their rejection is the useful message, and
  // other boosters and objectives store other fields.
  if (res.booster != "gbtree" || !xgboost_model::supports(res.objective))
    return res;
  auto param = [&](const char* key) {
    return r.at(params, key, std::string{"learner_model_param."} + key);
  };
  res.base_score = r.real(param("base_score"), "base_score");
  res.num_features = r.integer(param("num_feature"), "num_feature");
  res.num_class = r.integer(param("num_class"), "num_class");
  if (params != nullptr && params->contains("num_target"))
    res.num_target = r.integer(param("num_target"), "num_target");
  auto model = r.at(booster, "model", "gradient_booster.model");
  auto gbtree = r.at(model, "gbtree_model_param", "gbtree_model_param");
  res.num_parallel_tree
    = r.integer(r.at(gbtree, "num_parallel_tree", "num_parallel_tree"),
                "num_parallel_tree");
  auto num_trees
    = r.integer(r.at(gbtree, "num_trees", "num_trees"), "num_trees");
  res.tree_info
    = r.array<int64_t>(r.at(model, "tree_info", "tree_info"), "tree_info");
  auto trees = r.at(model, "trees", "trees");
  if (trees != nullptr && !trees->is_array())
    return corrupt("'trees' is not an array");
  if (r.err)
    return std::move(r.err);
  if (static_cast<uint64_t>(num_trees) != trees->size())
    return corrupt("num_trees is " + std::to_string(num_trees) + " but "
                   + std::to_string(trees->size()) + " trees follow");
  for (size_t i = 0; i < trees->size() && !r.err; ++i)
    res.trees.push_back(read_tree(r, (*trees)[i], i));
  // XGBoost's scikit-learn predict() stops at the best iteration of early
  // stopping, which leaves both attributes behind (training without early
  // stopping leaves best_iteration only).
  if (learner->contains("attributes")) {
    const auto& attrs = (*learner)["attributes"];
    if (attrs.is_object() && attrs.contains("best_score")
        && attrs.contains("best_iteration"))
      res.iteration_end
        = std::clamp<int64_t>(
            r.integer(&attrs["best_iteration"], "attributes.best_iteration"),
            -1, INT32_MAX)
          + 1;
  }
  if (r.err)
    return std::move(r.err);
  return res;
}

/// XGBoost writes non-finite floats as the bare words NaN, Infinity and
/// -Infinity, which JSON lacks (categorical splits have NaN conditions).
/// Quotes them, so that the reader gets strings it turns back into floats.
std::vector<uint8_t> quote_non_finite(const std::vector<uint8_t>& in) {
  static constexpr std::string_view words[] = {"NaN", "Infinity", "-Infinity"};
  std::vector<uint8_t> out;
  out.reserve(in.size());
  bool in_string = false;
  for (size_t i = 0; i < in.size(); ++i) {
    auto c = in[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < in.size())
        out.push_back(in[++i]);
      else if (c == '"')
        in_string = false;
      continue;
    }
    in_string = c == '"';
    auto rest = std::string_view{reinterpret_cast<const char*>(in.data()) + i,
                                 in.size() - i};
    auto word = std::find_if(std::begin(words), std::end(words), [&](auto w) {
      return rest.substr(0, w.size()) == w;
    });
    if (word == std::end(words)) {
      out.push_back(c);
      continue;
    }
    out.push_back('"');
    out.insert(out.end(), word->begin(), word->end());
    out.push_back('"');
    i += word->size() - 1;
  }
  return out;
}

/// Tells XGBoost's UBJSON (an object whose first key length is typed) from
/// JSON text (an object whose first key is quoted).
enum class format { json, ubjson, unknown };

format detect(const std::vector<uint8_t>& bytes) {
  size_t i = 0;
  while (i < bytes.size() && std::isspace(bytes[i]) != 0)
    ++i;
  if (i + 1 >= bytes.size() || bytes[i] != '{')
    return format::unknown;
  if (i == 0 && std::strchr("iUIlL$#", bytes[1]) != nullptr)
    return format::ubjson;
  for (++i; i < bytes.size(); ++i)
    if (std::isspace(bytes[i]) == 0)
      return bytes[i] == '"' || bytes[i] == '}' ? format::json
                                                : format::unknown;
  return format::unknown;
}

} // namespace

caf::expected<xgb_model_desc>
parse_xgboost_model(const std::vector<uint8_t>& bytes) {
  auto fmt = detect(bytes);
  if (fmt == format::unknown)
    return not_a_model("neither JSON nor UBJSON");
  try {
    auto doc = fmt == format::json ? fjson::parse(quote_non_finite(bytes))
                                   : fjson::from_ubjson(bytes);
    return read_desc(doc);
  } catch (const std::exception& e) {
    return not_a_model(
      std::string{fmt == format::json ? "invalid JSON: " : "invalid UBJSON: "}
      + e.what());
  }
}

caf::expected<std::shared_ptr<const xgboost_model>>
compile_xgboost_model(const std::string& text) {
  std::vector<uint8_t> bytes(text.begin(), text.end());
  auto desc = parse_xgboost_model(bytes);
  if (!desc)
    return std::move(desc.error());
  return xgboost_model::compile(*desc);
}

caf::expected<std::shared_ptr<const xgboost_model>>
load_xgboost_model(const std::string& path) {
  auto text = read_bounded_file(path);
  if (!text)
    return make_error(errc::io_error,
                      "cannot read file (" + describe(text.error()) + ")");
  return compile_xgboost_model(*text);
}

} // namespace shoal
