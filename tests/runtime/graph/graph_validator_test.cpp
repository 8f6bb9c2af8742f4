#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_error.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_validator.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;

namespace {

/// Writes graph files into a fresh directory, parses them and validates the
/// result with a `check_fn` that records its calls.
class GraphValidator : public test_support::temp_dir_test {
protected:
  /// Parses `text` as main.toml; fails the test if it does not parse.
  graph_spec parse(const std::string& text) {
    auto g = parse_graph_file(write("main.toml", text));
    EXPECT_TRUE(g) << describe(g.error());
    return g ? std::move(*g) : graph_spec{};
  }

  /// Validates `g`, recording in `checked` the nodes given to check_fn.
  caf::error validate(graph_spec& g) {
    return validate_graph(g, [this](const node_spec& n) {
      checked.push_back(n.name);
      return caf::error{};
    });
  }

  /// Validates the graph in `text` and returns the error text.
  std::string error_of(const std::string& text) {
    auto g = parse(text);
    auto before = g.nodes;
    auto err = validate(g);
    if (!err)
      return "no error";
    EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::invalid_graph));
    EXPECT_EQ(g.nodes, before);
    return describe(err);
  }

  std::string main_file() const {
    return (dir_ / "main.toml").string();
  }

  static std::vector<std::string> names(const graph_spec& g) {
    std::vector<std::string> result;
    for (const auto& n : g.nodes)
      result.push_back(n.name);
    return result;
  }

  std::vector<std::string> checked;
};

std::string sensor(const std::string& name) {
  return "[[sensor]]\nname = \"" + name + "\"\n";
}

std::string feature(const std::string& name, const std::string& needs,
                    const std::string& extra = "") {
  return "[[feature]]\nname = \"" + name + "\"\nfn = \"diff\"\nneeds = ["
         + needs + "]\n" + extra + "\n";
}

using strings = std::vector<std::string>;

} // namespace

TEST(GraphValidatorNames, AcceptsOnlyTheSpecAlphabetUpTo128Characters) {
  EXPECT_TRUE(is_valid_node_name("pump1.temp"));
  EXPECT_TRUE(is_valid_node_name("A-z_0:9.x"));
  EXPECT_TRUE(is_valid_node_name(std::string(128, 'a')));
  EXPECT_FALSE(is_valid_node_name(std::string(129, 'a')));
  EXPECT_FALSE(is_valid_node_name(""));
  EXPECT_FALSE(is_valid_node_name("a b"));
  EXPECT_FALSE(is_valid_node_name("a/b"));
  EXPECT_FALSE(is_valid_node_name("temp\xc2\xb0"));
}

TEST_F(GraphValidator, AcceptsValidGraphAndChecksEachDerivedNodeOnce) {
  auto g = parse(sensor("s") + feature("f", "\"s\"")
                 + "[[model]]\nname = \"m\"\nkind = \"linear\"\n"
                   "needs = [\"f\", \"s\"]\ntrigger = [\"f\"]\n");
  auto err = validate(g);
  ASSERT_FALSE(err) << describe(err);
  EXPECT_EQ(names(g), (strings{"s", "f", "m"}));
  EXPECT_EQ(checked, (strings{"f", "m"}));
}

TEST_F(GraphValidator, AcceptsTheSameInputListedTwice) {
  auto g = parse(sensor("s") + feature("sq", "\"s\", \"s\""));
  auto err = validate(g);
  EXPECT_FALSE(err) << describe(err);
  EXPECT_EQ(names(g), (strings{"s", "sq"}));
}

TEST_F(GraphValidator, RejectsMalformedName) {
  EXPECT_EQ(error_of(sensor("bad name")),
            main_file()
              + ": node 'bad name': malformed name (a name is 1 to 128 "
                "characters of A-Z a-z 0-9 _ . : -)");
  auto long_name = std::string(129, 'x');
  auto err = error_of(sensor("ok") + sensor(long_name));
  EXPECT_EQ(
    err.rfind(main_file() + ": node '" + long_name + "': malformed name", 0),
    0u)
    << err;
  EXPECT_NE(error_of(sensor("")).find("node '': malformed name"),
            std::string::npos);
}

TEST_F(GraphValidator, RejectsDuplicateNameAcrossTwoFiles) {
  auto other = write("parts/other.toml", sensor("dup"));
  EXPECT_EQ(error_of("include = [\"parts/other.toml\"]\n" + sensor("dup")),
            other + ": node 'dup': duplicate name, also declared in "
              + main_file());
}

TEST_F(GraphValidator, RejectsDuplicateNameInOneFile) {
  EXPECT_EQ(error_of(sensor("s") + feature("s", "\"s\"")),
            main_file()
              + ": node 's': duplicate name, declared twice in this file");
}

TEST_F(GraphValidator, RejectsNeedsThatNameNoNode) {
  EXPECT_EQ(error_of(sensor("s") + feature("f", "\"s\", \"nope\"")),
            main_file()
              + ": node 'f': needs 'nope', which is no node in the graph");
}

TEST_F(GraphValidator, RejectsTriggerNotInNeeds) {
  EXPECT_EQ(error_of(sensor("s") + sensor("t")
                     + feature("f", "\"s\"", "trigger = [\"t\"]")),
            main_file() + ": node 'f': trigger 't' is not one of its needs");
}

TEST_F(GraphValidator, RejectsDerivedNodeWithoutInputs) {
  EXPECT_EQ(error_of("[[model]]\nname = \"m\"\nkind = \"linear\"\n"),
            main_file()
              + ": node 'm': a model needs at least one input ('needs')");
  EXPECT_EQ(error_of(feature("f", "")),
            main_file()
              + ": node 'f': a feature needs at least one input ('needs')");
}

TEST_F(GraphValidator, RejectsSensorWithInputs) {
  // The parser rejects `needs` on a sensor; specs built in code (admin
  // changes) reach the validator directly.
  graph_spec g;
  g.nodes.resize(2);
  g.nodes[0].name = "a";
  g.nodes[1].name = "b";
  g.nodes[1].needs = {"a"};
  g.nodes[1].file = "g.toml";
  auto before = g.nodes;
  auto err = validate(g);
  EXPECT_EQ(describe(err),
            "g.toml: node 'b': a sensor has no inputs, but it needs 'a'");
  EXPECT_EQ(g.nodes, before);
}

TEST_F(GraphValidator, RejectsCycleNamingItInOrder) {
  // `d` is declared first and depends on the cycle without being part of it.
  auto err = error_of(sensor("s") + feature("d", "\"c\"")
                      + feature("a", "\"c\", \"s\"") + feature("b", "\"a\"")
                      + feature("c", "\"b\""));
  EXPECT_EQ(err,
            main_file() + ": node 'a': dependency cycle: a -> b -> c -> a");
  EXPECT_TRUE(checked.empty());
}

TEST_F(GraphValidator, RejectsSelfCycle) {
  EXPECT_EQ(error_of(sensor("s") + feature("x", "\"s\", \"x\"")),
            main_file() + ": node 'x': dependency cycle: x -> x");
}

TEST_F(GraphValidator, SortsTopologicallyKeepingDeclarationOrder) {
  auto g = parse("[[model]]\nname = \"m\"\nkind = \"linear\"\n"
                 "needs = [\"f1\", \"f2\"]\n"
                 + feature("f2", "\"s2\"") + feature("f1", "\"s1\"")
                 + sensor("s1") + sensor("s2") + feature("f3", "\"s1\""));
  auto err = validate(g);
  ASSERT_FALSE(err) << describe(err);
  // Each step places the earliest declared node whose inputs are placed.
  EXPECT_EQ(names(g), (strings{"s1", "f1", "s2", "f2", "m", "f3"}));
  EXPECT_EQ(checked, (strings{"f1", "f2", "m", "f3"}));
  // A sorted graph keeps its order.
  auto again = g.nodes;
  checked.clear();
  ASSERT_FALSE(validate(g));
  EXPECT_EQ(g.nodes, again);
}

TEST_F(GraphValidator, CheckFnErrorPropagatesAndLeavesGraphUnchanged) {
  auto g = parse(feature("f2", "\"f1\"") + sensor("s") + feature("f1", "\"s\"")
                 + feature("f3", "\"s\""));
  auto before = g.nodes;
  std::vector<std::string> seen;
  auto err = validate_graph(g, [&](const node_spec& n) {
    seen.push_back(n.name);
    if (n.name == "f2")
      return node_error(n, "rolling_mean needs window or window_ns");
    return caf::error{};
  });
  ASSERT_TRUE(err);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::invalid_graph));
  EXPECT_EQ(describe(err),
            main_file()
              + ": node 'f2': rolling_mean needs window or window_ns");
  // Topological order: f1 before f2; f3 is never checked.
  EXPECT_EQ(seen, (strings{"f1", "f2"}));
  EXPECT_EQ(g.nodes, before);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    EXPECT_EQ(g.nodes[i].file, before[i].file);
}

TEST_F(GraphValidator, ReturnsCheckFnErrorOfAnyCodeAsIs) {
  auto g = parse(sensor("s") + feature("f", "\"s\""));
  auto err = validate_graph(g, [](const node_spec&) {
    return make_error(errc::user_code, "chunk does not compile");
  });
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::user_code));
  EXPECT_EQ(describe(err), "chunk does not compile");
}
