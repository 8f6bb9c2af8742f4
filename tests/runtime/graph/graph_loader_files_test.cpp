// The graph loader across files: includes, and the Lua and model files that
// nodes name by paths relative to their graph file.

#include <filesystem>
#include <gtest/gtest.h>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "tests/support/graph_loader_fixture.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace fs = std::filesystem;

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

TEST_F(GraphLoader, RejectsIncludesNestedTooDeep) {
  // A chain of 100 files: 0 includes 1, 1 includes 2, ...
  for (int i = 1; i < 100; ++i)
    write("chain" + std::to_string(i) + ".toml",
          "include = [\"chain" + std::to_string(i + 1) + ".toml\"]\n");
  write("chain100.toml", "[[sensor]]\nname = \"end\"\n");
  auto g
    = parse_graph_file(write("chain0.toml", "include = [\"chain1.toml\"]\n"));
  ASSERT_FALSE(g);
  auto text = describe(g.error());
  EXPECT_NE(text.find("chain63.toml: includes nest deeper than 64 files (at '"),
            std::string::npos)
    << text;
  // Exactly at the limit still loads.
  write("chain63.toml", "[[sensor]]\nname = \"end\"\n");
  g = parse_graph_file((dir_ / "chain0.toml").string());
  EXPECT_TRUE(g) << describe(g.error());
}

TEST_F(GraphLoader, RejectsALuaPathThatIsNotARegularFile) {
  fs::create_directories(dir_ / "lua_dir");
  auto g = parse_graph_file(
    write("main.toml", "[[sensor]]\nname = \"s\"\n[[feature]]\nname = \"f\"\n"
                       "fn = \"lua\"\nneeds = [\"s\"]\npath = \"lua_dir\"\n"));
  ASSERT_FALSE(g);
  EXPECT_NE(describe(g.error()).find("': is a directory"), std::string::npos)
    << describe(g.error());
  g = parse_graph_file(write(
    "main.toml", "[[sensor]]\nname = \"s\"\n[[feature]]\nname = \"f\"\n"
                 "fn = \"lua\"\nneeds = [\"s\"]\npath = \"/dev/zero\"\n"));
  ASSERT_FALSE(g);
  EXPECT_NE(describe(g.error()).find("'/dev/zero': is not a regular file"),
            std::string::npos)
    << describe(g.error());
}
