// parse_graph_text: a graph file's text from memory gives what the same file
// on disk gives, and its includes and Lua files come through the reader it is
// given, never from the disk behind its back.

#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "tests/support/graph_loader_fixture.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr const char* with_include = R"(
include = ["more.toml"]

[[sensor]]
name = "s"

[[feature]]
name = "f"
fn = "lua"
needs = ["s"]
path = "f.lua"
)";

constexpr const char* more = R"(
[[sensor]]
name = "t"
)";

constexpr const char* lua = "return function(x) return x end";

std::vector<std::string> names_of(const graph_spec& g) {
  std::vector<std::string> out;
  for (const auto& n : g.nodes)
    out.push_back(n.name);
  return out;
}

} // namespace

TEST_F(GraphLoader, ParsesTextAsTheFileWithTheSameText) {
  write("more.toml", more);
  write("f.lua", lua);
  auto path = write("main.toml", with_include);
  auto from_file = parse_graph_file(path);
  auto from_text = parse_graph_text(with_include, path);
  ASSERT_TRUE(from_file) << describe(from_file.error());
  ASSERT_TRUE(from_text) << describe(from_text.error());
  EXPECT_EQ(names_of(*from_text), names_of(*from_file));
  EXPECT_EQ(from_text->nodes[1].code, lua);
  EXPECT_EQ(from_text->nodes[2].file, from_file->nodes[2].file);
}

TEST_F(GraphLoader, ReadsIncludesAndLuaThroughTheReader) {
  std::vector<std::string> asked;
  graph_file_reader read
    = [&](const std::string& path) -> caf::expected<std::string> {
    asked.push_back(path);
    if (path == "/mem/more.toml")
      return std::string{more};
    if (path == "/mem/f.lua")
      return std::string{lua};
    return make_error(errc::io_error, "no such file");
  };
  auto g = parse_graph_text(with_include, "/mem/main.toml", read);
  ASSERT_TRUE(g) << describe(g.error());
  EXPECT_EQ(names_of(*g), (std::vector<std::string>{"s", "f", "t"}));
  EXPECT_EQ(g->nodes[1].code, lua);
  EXPECT_EQ(asked, (std::vector<std::string>{"/mem/f.lua", "/mem/more.toml"}));
}

TEST_F(GraphLoader, NamesTheTextsFileInErrors) {
  graph_file_reader none
    = [](const std::string&) -> caf::expected<std::string> {
    return make_error(errc::io_error, "no such file");
  };
  auto g = parse_graph_text("include = [\"gone.toml\"]\n", "/mem/g.toml", none);
  ASSERT_FALSE(g);
  EXPECT_EQ(describe(g.error()),
            "/mem/g.toml: cannot read included file '/mem/gone.toml': no "
            "such file");
  auto bad = parse_graph_text("[[sensor]\n", "/mem/g.toml", none);
  ASSERT_FALSE(bad);
  EXPECT_EQ(describe(bad.error()).rfind("/mem/g.toml:1:", 0), 0u);
}
