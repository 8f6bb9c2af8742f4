// Batches and output pages carry their points as one block of bytes
// (actors/wire_packing.hpp): a trip through CAF's binary serialization
// gives back the same values (signed zero, infinities and NaN bits
// included), a block shorter than its length says is an error, and a length
// far larger than the bytes that follow costs no more than one step of
// memory.

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>

#include "caf/all.hpp"
#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"

#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"

using namespace shoal;

namespace {

struct wire : ::testing::Test {
  wire() : sys(init(cfg)) {
    // nop
  }

  static caf::actor_system_config& init(caf::actor_system_config& cfg) {
    configure_system(cfg, 1);
    return cfg;
  }

  template <class T>
  std::vector<char> save(T& x) {
    std::vector<char> buf;
    caf::binary_serializer out{sys, buf};
    EXPECT_FALSE(out(x));
    return buf;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
};

bool same_bits(double x, double y) {
  return std::memcmp(&x, &y, sizeof(double)) == 0;
}

} // namespace

TEST_F(wire, ABatchComesBackBitForBit) {
  batch b;
  b.from = 0x0123456789abcdefull;
  b.wm = -5;
  b.token = 77;
  b.mark = 0xfedcba9876543210ull;
  b.points = {point{INT64_MIN + 1, -0.0},
              point{-1, std::numeric_limits<double>::infinity()},
              point{0, std::numeric_limits<double>::quiet_NaN()},
              point{1'700'000'000'000'000'000, 27.145538519578437},
              point{INT64_MAX - 1, std::numeric_limits<double>::denorm_min()}};
  auto buf = save(b);
  // A length and 16 bytes per point, not a field at a time.
  EXPECT_LT(buf.size(), 8 + 5 * 16 + 8 + 8 + 8 + 8);
  batch back;
  back.points = {point{9, 9.0}};
  caf::binary_deserializer in{sys, buf};
  ASSERT_FALSE(in(back));
  EXPECT_EQ(back.from, b.from);
  EXPECT_EQ(back.wm, b.wm);
  EXPECT_EQ(back.token, b.token);
  EXPECT_EQ(back.mark, b.mark);
  ASSERT_EQ(back.points.size(), b.points.size());
  for (size_t i = 0; i < b.points.size(); ++i) {
    EXPECT_EQ(back.points[i].ts, b.points[i].ts);
    EXPECT_TRUE(same_bits(back.points[i].value, b.points[i].value)) << i;
  }
}

TEST_F(wire, AnEmptyBatchStaysEmpty) {
  batch b;
  b.from = 3;
  auto buf = save(b);
  batch back;
  caf::binary_deserializer in{sys, buf};
  ASSERT_FALSE(in(back));
  EXPECT_TRUE(back.points.empty());
  EXPECT_EQ(back.from, 3u);
}

TEST_F(wire, AShortBlockIsAnError) {
  batch b;
  b.points.assign(100, point{1, 2.0});
  auto buf = save(b);
  // Cut inside the block of points.
  buf.resize(buf.size() - 8 - 8 - 40);
  batch back;
  caf::binary_deserializer in{sys, buf};
  EXPECT_TRUE(in(back));
  EXPECT_TRUE(back.points.empty());
}

TEST_F(wire, ALengthLargerThanTheBytesCostsOneStep) {
  // from, then a length of 2^31 points (32 GiB; CAF writes lengths in 32
  // bits), then 32 bytes.
  std::vector<char> buf;
  caf::binary_serializer out{sys, buf};
  uint64_t from = 1;
  size_t huge = size_t{1} << 31;
  ASSERT_FALSE(out(from));
  ASSERT_FALSE(out.begin_sequence(huge));
  buf.insert(buf.end(), 32, '\0');
  batch back;
  caf::binary_deserializer in{sys, buf};
  EXPECT_TRUE(in(back)); // an error, not 32 GiB
  EXPECT_TRUE(back.points.empty());
}

TEST_F(wire, AReplayPageKeepsItsTableOfNames) {
  replay_page pg;
  pg.session = 4;
  pg.first = 10;
  pg.rows.names = {"p1.score", "p1.mean"};
  pg.rows.name_of = {0, 1, 1, 0};
  pg.rows.points
    = {point{5, 0.25}, point{5, 3.0}, point{6, -1.0}, point{7, 1e300}};
  pg.end = true;
  auto buf = save(pg);
  replay_page back;
  caf::binary_deserializer in{sys, buf};
  ASSERT_FALSE(in(back));
  EXPECT_EQ(back.rows, pg.rows);
  ASSERT_TRUE(back.rows.valid());
  EXPECT_EQ(back.rows.row(2), (output_row{"p1.mean", 6, -1.0}));
  EXPECT_EQ(back.first, 10u);
  EXPECT_TRUE(back.end);
}

TEST(RowTable, ARowWithoutANameIsInvalid) {
  row_table t;
  t.names = {"a"};
  t.name_of = {0, 1};
  t.points = {point{1, 1.0}, point{2, 2.0}};
  EXPECT_FALSE(t.valid()); // index 1 names nothing
  t.name_of = {0};
  EXPECT_FALSE(t.valid()); // a row without an index
  t.name_of = {0, 0};
  EXPECT_TRUE(t.valid());
}

TEST_F(wire, BatchesPrintTheirPoints) {
  batch b;
  b.from = 1;
  b.points = {point{2, 3.5}};
  auto text = caf::deep_to_string(b);
  EXPECT_NE(text.find("3.5"), std::string::npos) << text;
}
