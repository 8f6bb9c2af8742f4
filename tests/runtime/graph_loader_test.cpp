#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

#include "runtime/errc.hpp"
#include "runtime/graph_loader.hpp"

using namespace shoal;

namespace fs = std::filesystem;

namespace {

/// Gives each test a fresh directory for its graph files.
class GraphLoader : public testing::Test {
protected:
  void SetUp() override {
    auto info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path()
           / ("shoal_graph_loader_" + std::to_string(getpid()) + "_"
              + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  /// Writes `text` to `rel` under the test directory; returns its path.
  std::string write(const std::string& rel, const std::string& text) {
    auto p = dir_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream out{p, std::ios::binary};
    out << text;
    return p.string();
  }

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

  fs::path dir_;
};

} // namespace

TEST_F(GraphLoader, ParsesEveryParameterWithItsType) {
  auto g = parse_graph_file(write("main.toml", R"(
[[sensor]]
name = "p1.temp"
unit = "degC"
emit = true

[[feature]]
name = "p1.mean"
fn = "rolling_mean"
needs = ["p1.temp", "p1.temp"]
trigger = ["p1.temp"]
emit = true
window = 10
window_ns = 5_000_000_000
alpha = 1
code = "unused"

[[model]]
name = "p1.anomaly"
kind = "linear"
needs = ["p1.mean", "p1.temp"]
trigger = ["p1.mean"]
emit = false
weights = [1, -0.002]
bias = 2
link = "logistic"
)"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 3u);
  const auto& s = g->nodes[0];
  EXPECT_EQ(s.name, "p1.temp");
  EXPECT_EQ(s.kind, node_kind::sensor);
  EXPECT_EQ(s.unit, "degC");
  EXPECT_TRUE(s.emit);
  EXPECT_EQ(s.file, main_file());
  const auto& f = g->nodes[1];
  EXPECT_EQ(f.kind, node_kind::feature);
  EXPECT_EQ(f.fn, "rolling_mean");
  EXPECT_EQ(f.needs, (std::vector<std::string>{"p1.temp", "p1.temp"}));
  EXPECT_EQ(f.trigger, std::vector<std::string>{"p1.temp"});
  EXPECT_TRUE(f.emit);
  EXPECT_EQ(f.window, 10);
  EXPECT_EQ(f.window_ns, 5'000'000'000);
  EXPECT_EQ(f.alpha, 1.0);
  EXPECT_EQ(f.code, "unused");
  EXPECT_TRUE(f.path.empty());
  const auto& m = g->nodes[2];
  EXPECT_EQ(m.kind, node_kind::model);
  EXPECT_EQ(m.fn, "linear");
  EXPECT_EQ(m.needs, (std::vector<std::string>{"p1.mean", "p1.temp"}));
  EXPECT_EQ(m.trigger, std::vector<std::string>{"p1.mean"});
  EXPECT_FALSE(m.emit);
  EXPECT_EQ(m.weights, (std::vector<double>{1.0, -0.002}));
  EXPECT_EQ(m.bias, 2.0);
  EXPECT_EQ(m.link, "logistic");
}

TEST_F(GraphLoader, AppliesDefaultsPerKind) {
  auto g = parse_graph_file(write("main.toml", R"(
[[sensor]]
name = "s"
[[feature]]
name = "f"
fn = "diff"
needs = ["s"]
[[model]]
name = "m"
kind = "linear"
needs = ["f"]
)"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 3u);
  EXPECT_FALSE(g->nodes[0].emit);
  EXPECT_FALSE(g->nodes[1].emit);
  EXPECT_TRUE(g->nodes[2].emit);
  EXPECT_EQ(g->nodes[1].window, 0);
  EXPECT_EQ(g->nodes[1].window_ns, 0);
  EXPECT_TRUE(g->nodes[1].trigger.empty());
  EXPECT_EQ(g->nodes[2].link, "identity");
  EXPECT_EQ(g->nodes[2].bias, 0.0);
  EXPECT_TRUE(g->nodes[2].weights.empty());
}

TEST_F(GraphLoader, KeepsFileOrderAcrossKinds) {
  auto g = parse_graph_file(write("main.toml", R"(
[[model]]
name = "m"
kind = "linear"
needs = ["f"]
[[sensor]]
name = "s1"
[[feature]]
name = "f"
fn = "diff"
needs = ["s1"]
[[sensor]]
name = "s2"
)"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 4u);
  EXPECT_EQ(g->nodes[0].name, "m");
  EXPECT_EQ(g->nodes[1].name, "s1");
  EXPECT_EQ(g->nodes[2].name, "f");
  EXPECT_EQ(g->nodes[3].name, "s2");
}

TEST_F(GraphLoader, FollowsIncludesWithRelativePathsAndNestedDirectories) {
  write("sub/deeper/b.toml", "[[sensor]]\nname = \"b\"\n");
  write("c.toml", "[[sensor]]\nname = \"c\"\n");
  write("sub/a.toml", "include = [\"deeper/b.toml\", \"../c.toml\"]\n"
                      "[[sensor]]\nname = \"a\"\n");
  auto g = parse_graph_file(
    write("main.toml", "include = [\"sub/a.toml\"]\n[[sensor]]\nname = "
                       "\"top\"\n"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 4u);
  // A file's own nodes first, then its includes depth first.
  EXPECT_EQ(g->nodes[0].name, "top");
  EXPECT_EQ(g->nodes[1].name, "a");
  EXPECT_EQ(g->nodes[2].name, "b");
  EXPECT_EQ(g->nodes[3].name, "c");
  EXPECT_EQ(g->nodes[0].file, main_file());
  EXPECT_EQ(g->nodes[1].file, (dir_ / "sub/a.toml").string());
  EXPECT_EQ(g->nodes[2].file, (dir_ / "sub/deeper/b.toml").string());
  EXPECT_EQ(g->nodes[3].file, (dir_ / "c.toml").string());
}

TEST_F(GraphLoader, ReadsAFileReachedTwiceOnlyOnce) {
  write("common.toml", "[[sensor]]\nname = \"shared\"\n");
  write("x.toml", "include = [\"common.toml\"]\n");
  write("y.toml", "include = [\"./common.toml\"]\n");
  auto g = parse_graph_file(
    write("main.toml", "include = [\"x.toml\", \"y.toml\"]\n"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 1u);
  EXPECT_EQ(g->nodes[0].name, "shared");
}

TEST_F(GraphLoader, RejectsIncludeCycle) {
  write("a.toml", "include = [\"b.toml\"]\n");
  write("b.toml", "include = [\"a.toml\"]\n");
  auto err = parse_error_of("include = [\"a.toml\"]\n");
  auto a = (dir_ / "a.toml").string();
  auto b = (dir_ / "b.toml").string();
  EXPECT_EQ(err, b + ": include cycle: " + a + " -> " + b + " -> " + a);
}

TEST_F(GraphLoader, RejectsFileIncludingItself) {
  auto err = parse_error_of("include = [\"main.toml\"]\n");
  EXPECT_NE(err.find("include cycle"), std::string::npos) << err;
}

TEST_F(GraphLoader, RejectsMissingInclude) {
  auto err = parse_error_of("include = [\"sub/nope.toml\"]\n");
  EXPECT_EQ(err, main_file() + ": cannot read included file '"
                   + (dir_ / "sub/nope.toml").string() + "': no such file");
}

TEST_F(GraphLoader, RejectsMissingGraphFile) {
  auto path = (dir_ / "absent.toml").string();
  auto g = parse_graph_file(path);
  ASSERT_FALSE(g);
  EXPECT_EQ(describe(g.error()),
            path + ": cannot read graph file: no such file");
}

TEST_F(GraphLoader, RejectsUnknownKeyNamingIt) {
  auto err = parse_error_of(R"(
[[feature]]
name = "f"
fn = "rolling_mean"
needs = ["s"]
windw = 10
)");
  EXPECT_EQ(err.rfind(main_file() + ": node 'f': unknown key 'windw'", 0), 0u)
    << err;
  // Sensors take no inputs, so `needs` is unknown there.
  err = parse_error_of("[[sensor]]\nname = \"s\"\nneeds = [\"x\"]\n");
  EXPECT_NE(err.find("node 's': unknown key 'needs'"), std::string::npos)
    << err;
}

TEST_F(GraphLoader, RejectsUnknownTopLevelKey) {
  auto err = parse_error_of("[[sensors]]\nname = \"s\"\n");
  EXPECT_EQ(err.rfind(main_file() + ": unknown top-level key 'sensors'", 0), 0u)
    << err;
  err = parse_error_of("[sensor]\nname = \"s\"\n");
  EXPECT_EQ(err,
            main_file() + ": 'sensor' must be an array of tables ([[sensor]])");
}

TEST_F(GraphLoader, RejectsWrongTypeNamingKeyAndExpectedType) {
  auto feature = [](const std::string& extra) {
    return "[[feature]]\nname = \"f\"\nfn = \"rolling_mean\"\nneeds = "
           "[\"s\"]\n"
           + extra + "\n";
  };
  auto prefix = main_file() + ": node 'f': ";
  EXPECT_EQ(parse_error_of(feature("window = \"10\"")),
            prefix + "'window' must be an integer >= 1, not a string");
  EXPECT_EQ(parse_error_of(feature("window_ns = 1.5")),
            prefix + "'window_ns' must be an integer >= 1, not a float");
  EXPECT_EQ(parse_error_of(feature("emit = 1")),
            prefix
              + "'emit' must be a boolean (true or false), not an "
                "integer");
  EXPECT_EQ(parse_error_of(feature("alpha = \"0.5\"")),
            prefix + "'alpha' must be a number, not a string");
  EXPECT_EQ(parse_error_of(feature("trigger = \"s\"")),
            prefix + "'trigger' must be an array of strings, not a string");
  EXPECT_EQ(parse_error_of(feature("code = 3")),
            prefix + "'code' must be a string, not an integer");
  EXPECT_EQ(parse_error_of("[[feature]]\nname = \"f\"\nfn = \"diff\"\n"
                           "needs = [\"s\", 2]\n"),
            prefix
              + "'needs' must be an array of strings, not an array "
                "holding an integer");
  EXPECT_EQ(parse_error_of("[[model]]\nname = \"m\"\nkind = \"linear\"\n"
                           "needs = [\"s\"]\nweights = [1, \"x\"]\n"),
            main_file()
              + ": node 'm': 'weights' must be an array of numbers, "
                "not an array holding a string");
  EXPECT_EQ(parse_error_of("[[model]]\nname = \"m\"\nkind = \"linear\"\n"
                           "needs = [\"s\"]\nbias = true\n"),
            main_file() + ": node 'm': 'bias' must be a number, not a boolean");
  EXPECT_EQ(parse_error_of("[[sensor]]\nname = 7\n"),
            main_file()
              + ": sensor at line 1: 'name' must be a string, not "
                "an integer");
}

TEST_F(GraphLoader, RejectsWindowBelowOne) {
  auto err = parse_error_of("[[feature]]\nname = \"f\"\nfn = \"rolling_sum\"\n"
                            "needs = [\"s\"]\nwindow = 0\n");
  EXPECT_EQ(err, main_file()
                   + ": node 'f': 'window' must be an integer >= 1, not 0");
}

TEST_F(GraphLoader, RejectsMissingRequiredKeys) {
  EXPECT_EQ(parse_error_of("[[sensor]]\nunit = \"V\"\n"),
            main_file() + ": sensor at line 1: missing required key 'name'");
  EXPECT_EQ(parse_error_of("[[feature]]\nname = \"f\"\nneeds = [\"s\"]\n"),
            main_file() + ": node 'f': missing required key 'fn'");
  EXPECT_EQ(parse_error_of("[[feature]]\nname = \"f\"\nfn = \"diff\"\n"),
            main_file() + ": node 'f': missing required key 'needs'");
  EXPECT_EQ(parse_error_of("[[model]]\nname = \"m\"\nneeds = [\"s\"]\n"),
            main_file() + ": node 'm': missing required key 'kind'");
}

TEST_F(GraphLoader, ReadsLuaCodeFromPathRelativeToGraphFile) {
  std::string code = "return function(v, a) return v * a end\n";
  write("sub/lua/power.lua", code);
  write("sub/part.toml", R"(
[[feature]]
name = "power"
fn = "lua"
needs = ["v", "a"]
path = "lua/../lua/power.lua"
[[model]]
name = "m"
kind = "lua"
needs = ["power"]
path = "lua/power.lua"
)");
  auto g
    = parse_graph_file(write("main.toml", "include = [\"sub/part.toml\"]"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 2u);
  auto expected_path = (dir_ / "sub/lua/power.lua").string();
  for (const auto& n : g->nodes) {
    EXPECT_EQ(n.code, code) << n.name;
    EXPECT_EQ(n.path, expected_path) << n.name;
  }
}

TEST_F(GraphLoader, RejectsLuaWithBothCodeAndPath) {
  write("f.lua", "return function(x) return x end");
  auto err = parse_error_of("[[feature]]\nname = \"f\"\nfn = \"lua\"\n"
                            "needs = [\"s\"]\npath = \"f.lua\"\n"
                            "code = \"return function(x) return x end\"\n");
  EXPECT_EQ(err,
            main_file() + ": node 'f': give either 'code' or 'path', not both");
}

TEST_F(GraphLoader, RejectsUnreadableLuaPath) {
  auto err = parse_error_of("[[model]]\nname = \"m\"\nkind = \"lua\"\n"
                            "needs = [\"s\"]\npath = \"missing.lua\"\n");
  EXPECT_EQ(err, main_file() + ": node 'm': cannot read Lua file '"
                   + (dir_ / "missing.lua").string() + "': no such file");
}

TEST_F(GraphLoader, ResolvesModelPathWithoutReadingIt) {
  auto g = parse_graph_file(
    write("g/main.toml", "[[model]]\nname = \"m\"\nkind = \"xgboost\"\n"
                         "needs = [\"s\"]\npath = \"../models/./m.json\"\n"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 1u);
  EXPECT_EQ(g->nodes[0].path, (dir_ / "models/m.json").string());
  EXPECT_TRUE(g->nodes[0].code.empty());
}

TEST_F(GraphLoader, ResolvesRelativeGraphPathToAbsoluteNodePath) {
  write("rel/main.toml", "[[model]]\nname = \"m\"\nkind = \"onnx\"\n"
                         "needs = [\"s\"]\npath = \"m.onnx\"\n");
  auto old = fs::current_path();
  fs::current_path(dir_);
  auto g = parse_graph_file("rel/main.toml");
  fs::current_path(old);
  ASSERT_TRUE(g) << describe(g.error());
  EXPECT_EQ(g->nodes[0].file, "rel/main.toml");
  EXPECT_EQ(g->nodes[0].path,
            (fs::canonical(dir_) / "rel/m.onnx").lexically_normal().string());
}

TEST_F(GraphLoader, ReportsTomlSyntaxErrorWithLineAndColumn) {
  auto err = parse_error_of("[[sensor]]\nname = \"s\"\nunit = degC\n");
  EXPECT_EQ(err.rfind(main_file() + ":3:", 0), 0u) << err;
  // The description of toml++ follows the position.
  EXPECT_GT(err.size(), main_file().size() + 6) << err;
}
