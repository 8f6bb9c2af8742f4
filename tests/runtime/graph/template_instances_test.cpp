// Device lists rejected, and the errors of an expanded graph as a whole
// (SPEC sections 2 and 11): they name the file, the template, the device
// list's line or the instance's index, and the expanded node.

#include <gtest/gtest.h>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_validator.hpp"
#include "tests/support/graph_loader_fixture.hpp"

using namespace shoal;
using namespace shoal::test_support;

// -- [[instances]] and the device list ---------------------------------------

TEST_F(GraphLoader, RejectsABadInstancesTable) {
  EXPECT_EQ(parse_error_of(with_pump("[[instances]]\ntemplate = \"pump\"\n")),
            main_file()
              + ": [[instances]] 1 (line 12): missing required key 'csv'");
  EXPECT_EQ(parse_error_of(
              with_pump("[[instances]]\ntemplate = \"pump\"\ncsv = \"\"\n")),
            main_file()
              + ": [[instances]] 1 (line 12): 'csv' must not be empty");
  EXPECT_EQ(
    parse_error_of(with_pump(
      "[[instances]]\ntemplate = \"pump\"\ncsv = \"a.csv\"\nrows = 3\n")),
    main_file()
      + ": [[instances]] 1 (line 12): unknown key 'rows' (allowed: template "
        "csv)");
  EXPECT_EQ(parse_error_of(with_pump(
              "[[instances]]\ntemplate = \"pump\"\ncsv = \"none.csv\"\n")),
            main_file()
              + ": [[instances]] 1 (line 12): cannot read device "
                "list '"
              + (dir_ / "none.csv").string() + "': no such file");
}

TEST_F(GraphLoader, RefusesADeviceListThatIsNoRegularFile) {
  // The same rule as for every file a graph names.
  auto err = parse_error_of(
    with_pump("[[instances]]\ntemplate = \"pump\"\ncsv = \"/dev/zero\"\n"));
  EXPECT_EQ(err.rfind(main_file()
                        + ": [[instances]] 1 (line 12): cannot read device "
                          "list '/dev/zero': ",
                      0),
            0u)
    << err;
}

TEST_F(GraphLoader, RejectsADeviceListWithABadHeaderOrRow) {
  auto graph
    = with_pump("[[instances]]\ntemplate = \"pump\"\ncsv = \"d.csv\"\n");
  auto csv = (dir_ / "d.csv").string();
  auto origin = main_file() + ": template 'pump', " + csv;
  write("d.csv", "id\np1\n");
  EXPECT_EQ(parse_error_of(graph),
            origin
              + " line 1: the header has no column for parameter "
                "'limit'");
  write("d.csv", "id,limit,color\n");
  EXPECT_EQ(parse_error_of(graph),
            origin + " line 1: column 'color' is no parameter of the template");
  write("d.csv", "id,limit,id\n");
  EXPECT_EQ(parse_error_of(graph),
            origin + " line 1: column 'id' appears twice");
  write("d.csv", "id,limit\np1,1\n\np2\n");
  EXPECT_EQ(parse_error_of(graph),
            origin + " line 4: 1 fields, but the header has 2");
  write("d.csv", "id,limit\n\"p1,1\n");
  EXPECT_EQ(parse_error_of(graph),
            origin + " line 2: a quoted field has no closing quote");
  write("d.csv", "");
  EXPECT_EQ(parse_error_of(graph),
            origin + " line 1: no header (it names the template's parameters)");
}

TEST_F(GraphLoader, RejectsAFieldOfTheWrongTypeNamingItsLine) {
  write("d.csv", "id,limit\np1,1\np2,high\n");
  auto err = parse_error_of(
    with_pump("[[instances]]\ntemplate = \"pump\"\ncsv = \"d.csv\"\n"));
  EXPECT_EQ(err, main_file() + ": template 'pump', " + (dir_ / "d.csv").string()
                   + " line 3: node 'p2.over': 'bias' must be a number, not a "
                     "string");
}

// -- the expanded graph as a whole --------------------------------------------

TEST_F(GraphLoader, ADuplicateDeviceIsADuplicateNameWithItsLine) {
  write("d.csv", "id,limit\np1,1\np2,2\np1,3\n");
  auto g = parse_graph_file(
    write("main.toml",
          with_pump("[[instances]]\ntemplate = \"pump\"\ncsv = \"d.csv\"\n")));
  ASSERT_TRUE(g) << describe(g.error());
  auto err = validate_graph(*g, [](const node_spec&) {
    return caf::error{};
  });
  auto origin = main_file() + ": template 'pump', " + (dir_ / "d.csv").string();
  EXPECT_EQ(describe(err), origin
                             + " line 4: node 'p1.temp': duplicate name, also "
                               "declared in "
                             + origin + " line 2");
}

TEST_F(GraphLoader, AnUnknownInputOfAnExpandedNodeNamesItsInstance) {
  auto g = parse_graph_file(write("main.toml", R"([[template]]
name = "t"
params = ["id", "up"]
[[template.model]]
name = "${id}.m"
kind = "linear"
needs = ["${up}"]
weights = [1.0]
[[sensor]]
name = "s"
[[instance]]
template = "t"
id = "a"
up = "s"
[[instance]]
template = "t"
id = "b"
up = "nothing"
)"));
  ASSERT_TRUE(g) << describe(g.error());
  auto err = validate_graph(*g, [](const node_spec&) {
    return caf::error{};
  });
  EXPECT_EQ(describe(err), main_file()
                             + ": template 't', [[instance]] 2 (line 15): "
                               "node 'b.m': needs 'nothing', which is no node "
                               "in the graph");
}
