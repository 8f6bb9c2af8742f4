// Sparkplug B payloads made by the real protobuf library (the fixture script
// tests/fixtures/make_sparkplug_fixtures.py), decoded by Shoal's own wire
// reader into samples, with aliases from the birth certificates.

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

#include "runtime/core/errc.hpp"
#include "runtime/io/mqtt_decoder.hpp"
#include "runtime/io/sparkplug_payload.hpp"
#include "runtime/io/sparkplug_reader.hpp"
#include "tests/support/mqtt_lines.hpp"

using namespace shoal;
using shoal::test_support::lines;

namespace {

constexpr int64_t arrival = 1'800'000'000'000'000'000;

std::string fixture(const std::string& name) {
  std::ifstream in{std::string{SPARKPLUG_FIXTURES} + "/" + name,
                   std::ios::binary};
  EXPECT_TRUE(in) << name;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class Sparkplug : public testing::Test {
protected:
  std::vector<std::string> decode(const std::string& topic,
                                  const std::string& payload) {
    mqtt_decoded out;
    reader_.decode(topic, payload, arrival, out);
    return lines(out);
  }

  sparkplug_reader reader_;
};

using strings = std::vector<std::string>;

} // namespace

TEST(SparkplugPayload, DecodesWhatProtobufWrote) {
  auto p = parse_sparkplug(fixture("ndata.bin"));
  ASSERT_TRUE(p) << describe(p.error());
  EXPECT_TRUE(p->has_timestamp);
  EXPECT_EQ(p->timestamp, 1700000001000u);
  EXPECT_EQ(p->seq, 1u);
  ASSERT_EQ(p->metrics.size(), 4u);
  EXPECT_FALSE(p->metrics[0].has_name);
  EXPECT_EQ(p->metrics[0].alias, 2u);
  EXPECT_EQ(p->metrics[0].timestamp, 1700000001500u);
  EXPECT_EQ(p->metrics[0].value, 22.25);
  EXPECT_EQ(p->metrics[1].value, 7.0);
  EXPECT_EQ(p->metrics[2].value, 1.5); // a float
  EXPECT_EQ(p->metrics[3].name, "big");
  EXPECT_EQ(p->metrics[3].value, -3.0); // an Int64 in two's complement
}

TEST(SparkplugPayload, TruncatedBytesAreAnError) {
  auto bytes = fixture("nbirth.bin");
  auto p = parse_sparkplug(bytes.substr(0, bytes.size() - 3));
  ASSERT_FALSE(p);
  EXPECT_EQ(describe(p.error()), "Sparkplug B payload: field 2 is truncated");
  p = parse_sparkplug("\x0b");
  ASSERT_FALSE(p);
  EXPECT_EQ(describe(p.error()),
            "Sparkplug B payload: field 1 has wire type 3, which Sparkplug "
            "does not use");
}

TEST_F(Sparkplug, BirthAndDataOfANodeAndItsDevice) {
  EXPECT_EQ(decode("spBv1.0/plant/NBIRTH/edge1", fixture("nbirth.bin")),
            (strings{"plant.edge1.Node Control.Rebirth 1700000000000000000 0",
                     "plant.edge1.temp 1700000000000000000 21.5",
                     "plant.edge1.count 1700000000000000000 -5"}));
  EXPECT_EQ(decode("spBv1.0/plant/NDATA/edge1", fixture("ndata.bin")),
            (strings{"plant.edge1.temp 1700000001500000000 22.25",
                     "plant.edge1.count 1700000001000000000 7",
                     "plant.edge1.big 1700000001000000000 -3",
                     "! Sparkplug B metric alias 9 of plant/edge1 is unknown "
                     "(no birth certificate names it)"}));
  EXPECT_EQ(decode("spBv1.0/plant/DBIRTH/edge1/pump1", fixture("dbirth.bin")),
            (strings{"plant.edge1.pump1.rpm 1700000002000000000 1500.5",
                     "plant.edge1.pump1.on 1700000002000000000 1"}));
  EXPECT_EQ(decode("spBv1.0/plant/DDATA/edge1/pump1", fixture("ddata.bin")),
            (strings{"plant.edge1.pump1.rpm 1700000003000000000 1501.25",
                     "plant.edge1.pump1.on 1700000003000000000 0"}));
}

TEST_F(Sparkplug, AliasesNeedABirthAndDieWithTheNode) {
  // Data before any birth: every alias is unknown; names still work.
  EXPECT_EQ(decode("spBv1.0/plant/NDATA/edge1", fixture("ndata.bin")),
            (strings{"plant.edge1.big 1700000001000000000 -3",
                     "! Sparkplug B metric alias 2 of plant/edge1 is unknown "
                     "(no birth certificate names it)",
                     "! Sparkplug B metric alias 3 of plant/edge1 is unknown "
                     "(no birth certificate names it)",
                     "! Sparkplug B metric alias 9 of plant/edge1 is unknown "
                     "(no birth certificate names it)"}));
  decode("spBv1.0/plant/NBIRTH/edge1", fixture("nbirth.bin"));
  EXPECT_EQ(reader_.aliases("plant/edge1"), 4u);
  decode("spBv1.0/plant/DBIRTH/edge1/pump1", fixture("dbirth.bin"));
  EXPECT_EQ(reader_.aliases("plant/edge1"), 6u);
  EXPECT_EQ(decode("spBv1.0/plant/NDEATH/edge1", ""), strings{});
  EXPECT_EQ(reader_.aliases("plant/edge1"), 0u);
}

TEST_F(Sparkplug, OtherTopicsAndMessageTypes) {
  auto birth = fixture("nbirth.bin");
  EXPECT_EQ(decode("plant/edge1", birth),
            strings{"! topic is not a Sparkplug B topic "
                    "(spBv1.0/<group>/<type>/<edge node>[/<device>])"});
  EXPECT_EQ(decode("spBv1.0/plant/NCMD/edge1", birth), strings{});
  EXPECT_EQ(decode("spBv1.0/STATE/host1", "ONLINE"), strings{});
  EXPECT_EQ(decode("spBv1.0/plant/NFOO/edge1", birth),
            strings{"! Sparkplug B topic has unknown message type 'NFOO'"});
  EXPECT_EQ(decode("spBv1.0/plant/DDATA/edge1", birth),
            strings{"! Sparkplug B DDATA topic must name a device"});
  EXPECT_EQ(decode("spBv1.0/plant/NDATA/edge1", "\x0b"),
            strings{"! Sparkplug B payload: field 1 has wire type 3, which "
                    "Sparkplug does not use"});
}

TEST(SparkplugDecoder, IsThePayloadFormatSparkplugB) {
  mqtt_payload_options opts;
  opts.format = mqtt_payload_format::sparkplug_b;
  mqtt_decoder decoder{opts};
  mqtt_decoded out;
  decoder.decode("spBv1.0/g/DBIRTH/e/d", fixture("dbirth.bin"), arrival, out);
  EXPECT_EQ(lines(out), (strings{"g.e.d.rpm 1700000002000000000 1500.5",
                                 "g.e.d.on 1700000002000000000 1"}));
}
