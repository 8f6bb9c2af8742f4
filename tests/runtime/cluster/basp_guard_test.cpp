// The guard in front of CAF's protocol: a frame is judged by its header
// before CAF would allocate its payload, wherever the bytes are split.

#include <gtest/gtest.h>
#include <string>

#include "runtime/cluster/basp_guard.hpp"

using namespace shoal;

namespace {

/// A BASP 0.17 header: operation, padding, flags, then the payload length
/// in network order and 24 bytes of ids.
std::string header(unsigned char op, uint32_t len) {
  std::string h(32, '\0');
  h[0] = static_cast<char>(op);
  for (int i = 0; i < 4; ++i)
    h[4 + i] = static_cast<char>((len >> (24 - 8 * i)) & 0xff);
  return h;
}

std::string frame(unsigned char op, uint32_t len) {
  return header(op, len) + std::string(len, 'x');
}

/// Feeds `bytes` in pieces of `step`; returns the first refusal.
std::string feed(basp_guard& g, const std::string& bytes, size_t step) {
  for (size_t i = 0; i < bytes.size(); i += step) {
    auto why = g.feed(bytes.data() + i, std::min(step, bytes.size() - i));
    if (!why.empty())
      return why;
  }
  return {};
}

} // namespace

TEST(BaspGuard, FollowsAHandshakeAndMessagesWhereverTheBytesAreSplit) {
  auto stream = frame(1, 300) + frame(2, 5000) + frame(6, 0) + frame(3, 1)
                + frame(0, 0) + frame(4, 40);
  for (size_t step : {1, 7, 31, 32, 33, 4096, 100000}) {
    basp_guard g{1024, 8192};
    EXPECT_EQ(feed(g, stream, step), "") << step;
    EXPECT_TRUE(g.handshaken()) << step;
  }
}

TEST(BaspGuard, RefusesAHugeHandshakeFromItsHeaderAlone) {
  basp_guard g;
  auto why = feed(g, header(0, 0x7fffffff), 32);
  EXPECT_EQ(why, "handshake of 2147483647 bytes (at most 65536)");
  EXPECT_FALSE(g.handshaken());
  // It stays refused whatever follows.
  EXPECT_EQ(g.feed("abc", 3), why);
}

TEST(BaspGuard, RefusesAnyOtherOperationBeforeTheHandshake) {
  for (unsigned char op = 2; op <= 6; ++op) {
    basp_guard g;
    EXPECT_EQ(feed(g, header(op, 0), 5), "protocol operation "
                                           + std::to_string(op)
                                           + " before the handshake");
  }
}

TEST(BaspGuard, RefusesUnknownOperations) {
  basp_guard g;
  EXPECT_EQ(feed(g, frame(1, 10) + header(7, 0), 32),
            "unknown protocol operation 7");
  basp_guard first;
  EXPECT_EQ(feed(first, header(200, 0), 32), "unknown protocol operation 200");
}

TEST(BaspGuard, RefusesAMessageOverTheLimitAfterTheHandshake) {
  basp_guard g{1024, 8192};
  EXPECT_EQ(feed(g, frame(0, 10) + frame(2, 8192), 100), "");
  EXPECT_EQ(feed(g, header(2, 8193), 32),
            "message of 8193 bytes (at most 8192)");
}

TEST(BaspGuard, TheDefaultMessageLimitIsAGibibyte) {
  basp_guard g;
  EXPECT_EQ(feed(g, frame(1, 10) + header(2, basp_message_limit), 32), "");
  basp_guard over;
  EXPECT_NE(feed(over, frame(1, 10) + header(2, basp_message_limit + 1), 32),
            "");
}

TEST(BaspGuard, RefusesAMessageNamingATypeCafCannotDecodeWhereverItIsCut) {
  // CAF 0.17.6 throws, and the process dies, on a bad tag in these
  // variants; their names travel as text, nested messages included.
  for (std::string name : {"config_value", "downstream_msg", "upstream_msg"}) {
    auto body = std::string{"\0\0\0\x11", 4} + "@<>+@i64+@" + name + "(rest";
    auto stream
      = frame(1, 10) + header(2, static_cast<uint32_t>(body.size())) + body;
    for (size_t step = 1; step <= stream.size(); ++step) {
      basp_guard g;
      EXPECT_EQ(feed(g, stream, step),
                "message with type " + name
                  + ", which CAF 0.17 cannot decode safely")
        << name << " step " << step;
    }
  }
}

TEST(BaspGuard, LetsOrdinaryTypesAndTheNamesOutsideMessagesPass) {
  // Shoal's own types, a look-alike name, and the name in a handshake.
  std::string body = "@<>+@atom+@str+shoal::batch+@config_valu+config_value";
  auto stream = frame(1, 0) + header(2, static_cast<uint32_t>(body.size()))
                + body + header(0, 13) + "@config_value";
  for (size_t step : {1, 5, 13, 1000}) {
    basp_guard g;
    EXPECT_EQ(feed(g, stream, step), "") << step;
  }
}
