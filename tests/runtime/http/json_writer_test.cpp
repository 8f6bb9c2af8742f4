// json_writer: commas and nesting, numbers, and strings that are always
// valid JSON whatever bytes they came from.

#include <cmath>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/http/json_writer.hpp"

using namespace shoal;

namespace {

std::string as_json(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

} // namespace

TEST(JsonWriter, NestsAndSeparates) {
  std::string out;
  json_writer w{out};
  w.begin_object();
  w.key("a");
  w.begin_array();
  w.u64(1);
  w.i64(-2);
  w.begin_object();
  w.end_object();
  w.begin_array();
  w.end_array();
  w.null();
  w.end_array();
  w.key("b");
  w.boolean(true);
  w.key("c");
  w.num(0.25);
  w.end_object();
  EXPECT_EQ(out, R"({"a":[1,-2,{},[],null],"b":true,"c":0.25})");
}

TEST(JsonWriter, Numbers) {
  std::string out;
  json_writer w{out};
  w.begin_array();
  w.u64(UINT64_MAX);
  w.i64(INT64_MIN);
  w.num(1e300);
  w.num(NAN);
  w.num(-INFINITY);
  w.num(3725);
  w.end_array();
  EXPECT_EQ(out, "[18446744073709551615,-9223372036854775808,1e+300,null,"
                 "null,3725]");
  EXPECT_EQ(nlohmann::json::parse(out).size(), 6u);
}

TEST(JsonWriter, EscapesStrings) {
  EXPECT_EQ(as_json("plain"), "\"plain\"");
  EXPECT_EQ(as_json("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(as_json("\n\r\t"), R"("\n\r\t")");
  EXPECT_EQ(as_json(std::string{"\0\x01\x1f", 3}), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(as_json("</script>"), "\"</script>\"");
}

TEST(JsonWriter, KeepsUtf8AndReplacesBadBytes) {
  EXPECT_EQ(as_json("caf\xc3\xa9 \xf0\x9f\x90\x9f"),
            "\"caf\xc3\xa9 \xf0\x9f\x90\x9f\"");
  EXPECT_EQ(as_json("a\xff"
                    "b"),
            R"("a\ufffdb")");
  // Overlong '/', a lone continuation byte, a surrogate, a cut sequence.
  EXPECT_EQ(as_json("\xc0\xaf"), R"("\ufffd\ufffd")");
  EXPECT_EQ(as_json("\x80"), R"("\ufffd")");
  EXPECT_EQ(as_json("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");
  EXPECT_EQ(as_json("x\xe2\x82"), R"("x\ufffd\ufffd")");
  std::string all;
  for (int c = 0; c < 256; ++c)
    all += static_cast<char>(c);
  auto parsed = nlohmann::json::parse(as_json(all)).get<std::string>();
  EXPECT_EQ(parsed.substr(0, 128), all.substr(0, 128));
}
