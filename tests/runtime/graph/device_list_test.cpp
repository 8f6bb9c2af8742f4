// The device list of `[[instances]]`: CSV fields, quotes, line ends, and
// the header matched to the template's parameters.

#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/graph/device_list.hpp"

using namespace shoal;

namespace {

const std::vector<std::string> params{"id", "limit"};

std::vector<std::vector<std::string>> fields_of(const std::string& text) {
  auto rows = parse_device_list(text, "d.csv", params);
  EXPECT_TRUE(rows) << describe(rows.error());
  std::vector<std::vector<std::string>> out;
  if (rows)
    for (const auto& r : *rows)
      out.push_back(r.fields);
  return out;
}

std::string error_of(const std::string& text) {
  auto rows = parse_device_list(text, "d.csv", params);
  if (rows)
    return "no error";
  EXPECT_EQ(rows.error().code(), static_cast<uint8_t>(errc::invalid_graph));
  return describe(rows.error());
}

} // namespace

TEST(DeviceList, TakesTheColumnsInAnyOrder) {
  auto rows = parse_device_list("limit,id\n1,a\n\n2,b", "d.csv", params);
  ASSERT_TRUE(rows) << describe(rows.error());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"a", "1"}));
  EXPECT_EQ((*rows)[0].line, 2u);
  // A blank line is skipped but counted; the last line needs no newline.
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"b", "2"}));
  EXPECT_EQ((*rows)[1].line, 4u);
}

TEST(DeviceList, ReadsQuotesCrlfAByteOrderMarkAndTrimsUnquotedFields) {
  EXPECT_EQ(
    fields_of("\xEF\xBB\xBFid,limit\r\n a b ,\t2\r\n\"x, \"\"y\"\"\" "
              ",\"\"\r\n"),
    (std::vector<std::vector<std::string>>{{"a b", "2"}, {"x, \"y\"", ""}}));
}

TEST(DeviceList, AcceptsAHeaderWithoutRows) {
  EXPECT_TRUE(fields_of("id,limit\n").empty());
}

TEST(DeviceList, RejectsWhatIsNoDeviceList) {
  EXPECT_EQ(error_of(""), "d.csv line 1: no header (it names the template's "
                          "parameters)");
  EXPECT_EQ(error_of("\n\nid,limit\n"),
            "d.csv line 3: the header must be the first line");
  EXPECT_EQ(error_of("id,limit\n\"a\"b,1\n"),
            "d.csv line 2: text after a quoted field");
  EXPECT_EQ(error_of("id,limit\na,1,2\n"),
            "d.csv line 2: 3 fields, but the header has 2");
  EXPECT_EQ(error_of("id\n"),
            "d.csv line 1: the header has no column for parameter 'limit'");
}
