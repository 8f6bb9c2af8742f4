// Templates and `[[instance]]` tables rejected (SPEC sections 2 and 11):
// every error names the file, the template, the instance (its index and
// line) and the expanded node, and nothing of the graph is loaded. Device
// lists: template_instances_test.cpp.

#include <gtest/gtest.h>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "tests/support/graph_loader_fixture.hpp"

using namespace shoal;
using namespace shoal::test_support;

// -- the template itself ------------------------------------------------------

TEST_F(GraphLoader, RejectsAReferenceToNoParameter) {
  auto err = parse_error_of(R"([[template]]
name = "t"
params = ["id"]
[[template.sensor]]
name = "${id}.${ix}"
)");
  EXPECT_EQ(err, main_file()
                   + ": template 't': node '${id}.${ix}': 'name': '${ix}' "
                     "names no parameter (params: id)");
}

TEST_F(GraphLoader, RejectsAnUnknownReferenceInAnArrayAndInCode) {
  auto err = parse_error_of(R"([[template]]
name = "t"
params = ["id"]
[[template.feature]]
name = "${id}.f"
fn = "lua"
needs = ["${id}", "${other}"]
code = "return function(x) return x end"
)");
  EXPECT_EQ(err, main_file()
                   + ": template 't': node '${id}.f': 'needs': '${other}' "
                     "names no parameter (params: id)");
  err = parse_error_of(R"([[template]]
name = "t"
[[template.model]]
name = "m"
kind = "lua"
needs = ["x"]
code = "return function(x) return ${k} end"
)");
  EXPECT_EQ(err, main_file()
                   + ": template 't': node 'm': 'code': '${k}' names no "
                     "parameter (params: none)");
}

TEST_F(GraphLoader, RejectsAnUnterminatedOrMalformedReference) {
  auto err = parse_error_of(R"([[template]]
name = "t"
params = ["id"]
[[template.sensor]]
name = "${id"
)");
  EXPECT_EQ(err, main_file()
                   + ": template 't': node '${id': 'name': '${' without its "
                     "'}'");
  err = parse_error_of(R"([[template]]
name = "t"
params = ["id"]
[[template.sensor]]
name = "${i d}"
)");
  EXPECT_NE(err.find("'${i d}' is not a parameter reference"),
            std::string::npos)
    << err;
}

TEST_F(GraphLoader, RejectsBadParams) {
  auto head = std::string{"[[template]]\nname = \"t\"\n"};
  auto node = std::string{"[[template.sensor]]\nname = \"s\"\n"};
  EXPECT_EQ(parse_error_of(head + "params = \"id\"\n" + node),
            main_file()
              + ": template 't': 'params' must be an array of strings, not a "
                "string");
  EXPECT_EQ(parse_error_of(head + "params = [1]\n" + node),
            main_file()
              + ": template 't': 'params' must be an array of strings, not an "
                "array holding an integer");
  EXPECT_EQ(parse_error_of(head + "params = [\"id\", \"id\"]\n" + node),
            main_file() + ": template 't': parameter 'id' is listed twice");
  EXPECT_EQ(parse_error_of(head + "params = [\"a.b\"]\n" + node),
            main_file()
              + ": template 't': parameter 'a.b' is malformed (letters, "
                "digits and '_')");
  EXPECT_NE(parse_error_of(head + "params = [\"template\"]\n" + node)
              .find("'template' cannot be a parameter"),
            std::string::npos);
}

TEST_F(GraphLoader, RejectsABadTemplateTable) {
  EXPECT_EQ(parse_error_of("[[template]]\nparams = []\n"),
            main_file() + ": template at line 1: missing required key 'name'");
  EXPECT_EQ(parse_error_of("[[template]]\nname = \"a b\"\n"),
            main_file()
              + ": template at line 1: malformed template name 'a b' (1 to "
                "128 characters of A-Z a-z 0-9 _ . : -)");
  EXPECT_EQ(parse_error_of("[[template]]\nname = \"t\"\nsensors = []\n"),
            main_file()
              + ": template 't': unknown key 'sensors' (allowed: name params "
                "sensor feature model)");
  EXPECT_EQ(parse_error_of("[[template]]\nname = \"t\"\n"),
            main_file()
              + ": template 't': declares no node ([[template.sensor]], "
                "[[template.feature]] or [[template.model]])");
  EXPECT_EQ(parse_error_of("[[template]]\nname = \"t\"\nsensor = 1\n"),
            main_file()
              + ": template 't': 'sensor' must be an array of tables "
                "([[template.sensor]])");
  EXPECT_EQ(parse_error_of("[[template]]\nname = \"t\"\n[[template.model]]\n"
                           "kind = \"linear\"\n"),
            main_file()
              + ": template 't': model at line 3: missing required key "
                "'name'");
  EXPECT_EQ(parse_error_of("template = 1\n"),
            main_file()
              + ": 'template' must be an array of tables ([[template]])");
}

TEST_F(GraphLoader, RejectsATemplateDeclaredTwice) {
  EXPECT_EQ(parse_error_of(two_node_pump + two_node_pump),
            main_file() + ": template 'pump' is declared twice in this file");
  write("other.toml", two_node_pump);
  EXPECT_EQ(parse_error_of("include = [\"other.toml\"]\n" + two_node_pump),
            (dir_ / "other.toml").string()
              + ": template 'pump' is declared twice, also in " + main_file());
}

// -- [[instance]] -----------------------------------------------------------

TEST_F(GraphLoader, RejectsAMissingParameter) {
  auto err = parse_error_of(
    with_pump("[[instance]]\ntemplate = \"pump\"\nid = \"p1\"\n"));
  EXPECT_EQ(err, main_file()
                   + ": template 'pump', [[instance]] 1 (line 12): missing "
                     "parameter 'limit'");
}

TEST_F(GraphLoader, RejectsAnUnknownParameter) {
  auto err = parse_error_of(with_pump(
    "[[instance]]\ntemplate = \"pump\"\nid = \"p1\"\nlimit = 1\n"
    "[[instance]]\ntemplate = \"pump\"\nid = \"p2\"\nlimit = 1\nlimt = 2\n"));
  EXPECT_EQ(err, main_file()
                   + ": template 'pump', [[instance]] 2 (line 16): unknown "
                     "parameter 'limt' (params: id limit)");
}

TEST_F(GraphLoader, RejectsAnInstanceOfNoTemplate) {
  EXPECT_EQ(parse_error_of(with_pump("[[instance]]\ntemplate = \"pmp\"\n")),
            main_file()
              + ": [[instance]] 1 (line 12): no template named 'pmp' "
                "(templates: pump)");
  EXPECT_EQ(parse_error_of("[[instance]]\nid = \"x\"\n"),
            main_file()
              + ": [[instance]] 1 (line 1): missing required key 'template'");
  EXPECT_EQ(parse_error_of("[[instance]]\ntemplate = 3\n"),
            main_file()
              + ": [[instance]] 1 (line 1): 'template' must be a string, not "
                "an integer");
}

TEST_F(GraphLoader, RejectsAValueOfTheWrongTypeNamingTheExpandedNode) {
  auto err = parse_error_of(with_pump(
    "[[instance]]\ntemplate = \"pump\"\nid = \"p7\"\nlimit = \"high\"\n"));
  EXPECT_EQ(err, main_file()
                   + ": template 'pump', [[instance]] 1 (line 12): node "
                     "'p7.over': 'bias' must be a number, not a string");
}

TEST_F(GraphLoader, RejectsAValueThatCannotBePartOfAString) {
  auto err = parse_error_of(
    with_pump("[[instance]]\ntemplate = \"pump\"\nid = [\"x\"]\nlimit = 1\n"));
  EXPECT_EQ(err, main_file()
                   + ": template 'pump', [[instance]] 1 (line 12): node "
                     "'${id}.temp': parameter 'id' is an array, which cannot "
                     "be part of the string 'name'");
}

TEST_F(GraphLoader, RejectsANameThatIsNoString) {
  auto err = parse_error_of(R"([[template]]
name = "t"
params = ["id"]
[[template.sensor]]
name = "${id}"
[[instance]]
template = "t"
id = 5
)");
  EXPECT_EQ(err, main_file()
                   + ": template 't', [[instance]] 1 (line 6): sensor '${id}' "
                     "at line 4: 'name' must be a string, not an integer");
}

TEST_F(GraphLoader, ExpandedNodesFailAsTheirWrittenTwinsWould) {
  // The checks of a node written out apply: an unknown key, a Lua file that
  // is not there.
  auto err = parse_error_of(R"([[template]]
name = "t"
params = ["id"]
[[template.feature]]
name = "${id}.f"
fn = "lua"
needs = ["x"]
path = "${id}.lua"
[[instance]]
template = "t"
id = "gone"
)");
  EXPECT_EQ(err.rfind(main_file()
                        + ": template 't', [[instance]] 1 (line 9): node "
                          "'gone.f': cannot read Lua file '"
                        + (dir_ / "gone.lua").string() + "'",
                      0),
            0u)
    << err;
}
