#include "tests/support/xgboost_fixtures.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <set>
#include <sstream>
#include <unistd.h>
#include <utility>

#include "runtime/models/xgboost_model.hpp"

namespace shoal::xgb_test {

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> res;
  std::stringstream in{line};
  std::string field;
  while (std::getline(in, field, ','))
    res.push_back(field);
  return res;
}

} // namespace

std::vector<float> fixture_rows::row_f32(size_t i) const {
  std::vector<float> res;
  for (size_t j = 0; j < features; ++j)
    res.push_back(static_cast<float>(row(i)[j]));
  return res;
}

std::string fixture_rows::describe(size_t i) const {
  std::ostringstream out;
  out.precision(17);
  for (size_t j = 0; j < features; ++j)
    out << (j == 0 ? "" : ", ") << row(i)[j];
  return out.str();
}

std::string fixture(const std::string& file) {
  return std::string{XGBOOST_FIXTURES} + "/" + file;
}

std::vector<fixture_model> manifest() {
  std::vector<fixture_model> res;
  std::ifstream in{fixture("manifest.csv")};
  std::string line;
  if (!std::getline(in, line)) {
    ADD_FAILURE() << "no " << fixture("manifest.csv")
                  << ": run ctest, or tests/fixtures/make_xgboost_fixtures.py";
    return res;
  }
  while (std::getline(in, line)) {
    auto f = split(line);
    if (f.size() != 4) {
      ADD_FAILURE() << "bad manifest line: " << line;
      continue;
    }
    res.push_back({f[0], std::stoul(f[1]), std::stoll(f[2]), f[3]});
  }
  return res;
}

fixture_rows read_rows(const std::string& path, size_t features) {
  fixture_rows res;
  res.features = features;
  std::ifstream in{path};
  std::string line;
  if (!std::getline(in, line)) {
    ADD_FAILURE() << "cannot read " << path;
    return res;
  }
  EXPECT_EQ(split(line).size(), features + 2) << path << ": " << line;
  while (std::getline(in, line)) {
    auto f = split(line);
    if (f.size() != features + 2) {
      ADD_FAILURE() << path << ": bad row " << line;
      break;
    }
    // Every value is printed with 17 digits: strtod gives it back exactly,
    // and the float32 predictions convert back to themselves.
    for (size_t j = 0; j < features; ++j)
      res.x.push_back(std::strtod(f[j].c_str(), nullptr));
    res.pred.push_back(
      static_cast<float>(std::strtod(f[features].c_str(), nullptr)));
    res.margin.push_back(
      static_cast<float>(std::strtod(f[features + 1].c_str(), nullptr)));
  }
  return res;
}

namespace {

xgb_model_desc read_desc(const std::string& model_path) {
  std::ifstream in{model_path, std::ios::binary};
  std::vector<uint8_t> bytes{std::istreambuf_iterator<char>{in}, {}};
  auto desc = parse_xgboost_model(bytes);
  if (!desc) {
    ADD_FAILURE() << model_path;
    return {};
  }
  return std::move(*desc);
}

size_t depth_below(const xgb_tree_arrays& t, int64_t id) {
  if (t.left[id] == -1)
    return 0;
  return 1 + std::max(depth_below(t, t.left[id]), depth_below(t, t.right[id]));
}

} // namespace

std::vector<size_t> tree_depths(const std::string& model_path) {
  std::vector<size_t> res;
  for (const auto& t : read_desc(model_path).trees)
    res.push_back(depth_below(t, 0));
  return res;
}

size_t threshold_hits(const std::string& model_path, const fixture_rows& rows) {
  auto desc = read_desc(model_path);
  std::set<std::pair<int64_t, float>> splits;
  for (const auto& t : desc.trees)
    for (size_t i = 0; i < t.left.size(); ++i)
      if (t.left[i] != -1)
        splits.emplace(t.split_index[i], t.conditions[i]);
  size_t n = 0;
  for (size_t i = 0; i < rows.count(); ++i)
    for (size_t j = 0; j < rows.features; ++j)
      n += splits.count(
        {static_cast<int64_t>(j), static_cast<float>(rows.row(i)[j])});
  return n;
}

node_spec model_node(const std::string& path, size_t inputs) {
  node_spec res;
  res.name = "p1.m";
  res.kind = node_kind::model;
  res.fn = "xgboost";
  res.emit = true;
  for (size_t i = 0; i < inputs; ++i)
    res.needs.push_back("p1.x" + std::to_string(i));
  res.path = path;
  res.file = "plant.toml";
  return res;
}

std::string model_text::json() const {
  std::string trees_json, info;
  for (size_t i = 0; i < trees.size(); ++i) {
    const auto& t = trees[i];
    trees_json += (i == 0 ? "" : ", ");
    trees_json += R"({"id": )" + std::to_string(i) + R"(, "left_children": )"
                  + t.left + R"(, "right_children": )" + t.right
                  + R"(, "split_indices": )" + t.split_indices
                  + R"(, "split_conditions": )" + t.conditions
                  + R"(, "default_left": )" + t.default_left
                  + R"(, "split_type": )" + t.split_type + "}";
    info += (i == 0 ? "0" : ", 0");
  }
  auto count = num_trees.empty() ? std::to_string(trees.size()) : num_trees;
  return R"({"learner": {"attributes": )" + attributes
         + R"(, "gradient_booster": {"name": ")" + booster
         + R"(", "model": {"gbtree_model_param": {"num_parallel_tree": ")"
         + num_parallel_tree + R"(", "num_trees": ")" + count
         + R"("}, "tree_info": [)" + info + R"(], "trees": [)" + trees_json
         + R"(]}}, "learner_model_param": {"base_score": ")" + base_score
         + R"(", "num_class": "0", "num_feature": ")" + num_feature
         + R"(", "num_target": "1"}, "objective": {"name": ")" + objective
         + R"("}}, "version": [1, 7, 4]})";
}

namespace {

/// A directory of this process's temporary files, removed at exit.
struct temp_dir {
  std::filesystem::path path;

  temp_dir()
    : path(std::filesystem::temp_directory_path()
           / ("shoal_xgboost_test_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }

  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

} // namespace

std::string write_temp(const std::string& name, const std::string& content) {
  static temp_dir dir;
  static int serial = 0;
  // A fresh name per file: the model cache knows files by path and mtime.
  auto path = dir.path / (std::to_string(++serial) + "_" + name);
  std::ofstream out{path, std::ios::binary};
  out << content;
  return path.string();
}

} // namespace shoal::xgb_test
