// Cutting a msgpack byte stream into frames of samples: good frames, batches,
// frames split anywhere, and every kind of bad input.

#include <gtest/gtest.h>
#include <msgpack.hpp>
#include <random>

#include "runtime/io/frame_reader.hpp"

using namespace shoal;

namespace {

using packer = msgpack::packer<msgpack::sbuffer>;

void pack_sample(packer& pk, const std::string& sensor, int64_t ts,
                 double value) {
  pk.pack_array(3);
  pk.pack(sensor);
  pk.pack(ts);
  pk.pack(value);
}

/// Feeds `bytes` in pieces of `step` bytes.
struct feed_result {
  std::vector<inbox_sample> samples;
  size_t malformed = 0;
  bool closed = false;
  std::string reason;
};

feed_result feed(frame_reader& r, const std::string& bytes,
                 size_t step = 1 << 16) {
  feed_result out;
  for (size_t pos = 0; pos < bytes.size() && !out.closed;) {
    auto n = std::min({step, bytes.size() - pos, r.capacity()});
    auto* buf = r.buffer();
    n = std::min(n, r.capacity());
    std::copy_n(bytes.data() + pos, n, buf);
    pos += n;
    auto res = r.consume(n, out.samples);
    out.malformed += res.malformed;
    if (res.close) {
      out.closed = true;
      out.reason = res.reason;
    }
  }
  return out;
}

std::string str(const msgpack::sbuffer& buf) {
  return std::string(buf.data(), buf.size());
}

/// One sample frame of exactly `size` bytes (at least 14), its sensor name
/// padded with `fill`.
std::string frame_of_size(size_t size, char fill = 's') {
  for (size_t k = 0; k < size; ++k) {
    msgpack::sbuffer buf;
    packer pk{buf};
    pack_sample(pk, std::string(k, fill), 1, 1.0);
    if (buf.size() == size)
      return str(buf);
  }
  ADD_FAILURE() << "no sample frame of " << size << " bytes";
  return {};
}

} // namespace

TEST(FrameReader, ReadsSamplesAndBatchesSplitAnywhere) {
  msgpack::sbuffer buf;
  packer pk{buf};
  pack_sample(pk, "a", 1, 1.5);
  pk.pack_array(3); // a batch of three
  pack_sample(pk, "b", 2, 2.0);
  pack_sample(pk, "c", 3, -1.0);
  pk.pack_array(3);
  pk.pack(std::string{"d"});
  pk.pack(-4);
  pk.pack(7); // an integer value is a number too
  pack_sample(pk, "e", 5, 0.5);
  for (size_t step : {size_t{1}, size_t{3}, size_t{1} << 16}) {
    frame_reader r;
    auto out = feed(r, str(buf), step);
    EXPECT_FALSE(out.closed) << out.reason;
    EXPECT_EQ(out.malformed, 0u);
    ASSERT_EQ(out.samples.size(), 5u) << "step " << step;
    EXPECT_EQ(out.samples[0].sensor, "a");
    EXPECT_EQ(out.samples[0].ts, 1);
    EXPECT_EQ(out.samples[0].value, 1.5);
    EXPECT_EQ(out.samples[3].sensor, "d");
    EXPECT_EQ(out.samples[3].ts, -4);
    EXPECT_EQ(out.samples[3].value, 7.0);
    EXPECT_EQ(out.samples[4].sensor, "e");
    EXPECT_EQ(r.frames(), 3u);
    EXPECT_EQ(r.pending(), 0u);
  }
}

TEST(FrameReader, WrongTypesCloseAfterTheGoodSamples) {
  msgpack::sbuffer buf;
  packer pk{buf};
  pack_sample(pk, "a", 1, 1.0);
  pk.pack_array(3);
  pk.pack(7); // sensor not a string
  pk.pack(2);
  pk.pack(2.0);
  pack_sample(pk, "never", 3, 3.0);
  frame_reader r;
  auto out = feed(r, str(buf));
  EXPECT_TRUE(out.closed);
  EXPECT_EQ(out.malformed, 1u);
  EXPECT_EQ(out.reason, "frame 2: sensor must be a string, not an integer");
  ASSERT_EQ(out.samples.size(), 1u);
  EXPECT_EQ(out.samples[0].sensor, "a");
}

TEST(FrameReader, NamesEachKindOfWrongFrame) {
  auto reason_of = [](auto pack) {
    msgpack::sbuffer buf;
    packer pk{buf};
    pack(pk);
    frame_reader r;
    auto out = feed(r, str(buf));
    EXPECT_TRUE(out.closed);
    return out.reason;
  };
  EXPECT_EQ(reason_of([](packer& pk) {
              pk.pack(5);
            }),
            "frame 1: a sample must be an array [sensor, ts, value], not an "
            "integer");
  EXPECT_EQ(reason_of([](packer& pk) {
              pk.pack_array(2);
              pk.pack(std::string{"a"});
              pk.pack(1);
            }),
            "frame 1: a sample must be an array [sensor, ts, value], not an "
            "array of 2 elements");
  EXPECT_EQ(reason_of([](packer& pk) {
              pk.pack_array(3);
              pk.pack(std::string{"a"});
              pk.pack(1.5);
              pk.pack(1.0);
            }),
            "frame 1: ts must be an int64 (ns), not a float");
  EXPECT_EQ(reason_of([](packer& pk) {
              pk.pack_array(3);
              pk.pack(std::string{"a"});
              pk.pack(uint64_t{1} << 63);
              pk.pack(1.0);
            }),
            "frame 1: ts must be an int64 (ns), not an integer beyond the "
            "int64 range");
  EXPECT_EQ(reason_of([](packer& pk) {
              pk.pack_array(3);
              pk.pack(std::string{"a"});
              pk.pack(1);
              pk.pack(std::string{"1.0"});
            }),
            "frame 1: value must be a number, not a string");
}

TEST(FrameReader, BatchKeepsGoodElementsAndCountsBadOnes) {
  msgpack::sbuffer buf;
  packer pk{buf};
  pk.pack_array(4);
  pack_sample(pk, "a", 1, 1.0);
  pk.pack_array(1);
  pk.pack_nil();
  pack_sample(pk, "b", 2, 2.0);
  pk.pack(true);
  frame_reader r;
  auto out = feed(r, str(buf));
  EXPECT_TRUE(out.closed);
  EXPECT_EQ(out.malformed, 2u);
  EXPECT_EQ(out.samples.size(), 2u);
  EXPECT_EQ(out.reason, "frame 1: element 2: a sample must be an array "
                        "[sensor, ts, value], not an array of 1 elements");
}

TEST(FrameReader, RefusesHugeFramesBeforeAllocating) {
  // An array header announcing 4 billion elements: refused at once.
  frame_reader r;
  auto out = feed(r, std::string{"\xdd\xff\xff\xff\xff", 5});
  EXPECT_TRUE(out.closed);
  EXPECT_EQ(out.malformed, 1u);
  EXPECT_NE(out.reason.find("array size overflow"), std::string::npos);
  // A string header announcing 4 GiB waits for bytes (nothing is allocated
  // for them), and is refused once more than the limit arrived.
  frame_reader r2{1024};
  out = feed(r2, std::string{"\x93\xdb\xff\xff\xff\xff", 6});
  EXPECT_FALSE(out.closed);
  out = feed(r2, std::string(2000, 'x'), 100);
  EXPECT_TRUE(out.closed);
  EXPECT_EQ(out.reason, "frame 1: longer than 1024 bytes");
  // A batch of many small samples that keeps growing past the limit.
  frame_reader r3{1024};
  msgpack::sbuffer buf;
  packer pk{buf};
  pk.pack_array(200);
  for (int i = 0; i < 200; ++i)
    pack_sample(pk, "sensor", i, 1.0);
  out = feed(r3, str(buf), 100);
  EXPECT_TRUE(out.closed);
  EXPECT_EQ(out.reason, "frame 1: longer than 1024 bytes");
  EXPECT_TRUE(out.samples.empty());
}

TEST(FrameReader, RefusesAFrameOverTheLimitThatCompletesInOneRead) {
  // One byte over the limit, completed by the read that crossed it.
  frame_reader r{1024};
  auto out = feed(r, frame_of_size(1025), 100);
  EXPECT_TRUE(out.closed);
  EXPECT_EQ(out.malformed, 1u);
  EXPECT_EQ(out.reason, "frame 1: longer than 1024 bytes");
  EXPECT_TRUE(out.samples.empty());
  // A whole batch over the limit offered at once (no header in it announces
  // too much): no more than one byte past the limit is taken in.
  msgpack::sbuffer buf;
  packer pk{buf};
  pk.pack_array(200);
  for (int i = 0; i < 200; ++i)
    pack_sample(pk, "sensor", i, 1.0);
  ASSERT_GT(buf.size(), 1500u);
  frame_reader r2{1024};
  EXPECT_LE(r2.buffer() != nullptr ? r2.capacity() : 0, 1025u);
  out = feed(r2, str(buf));
  EXPECT_TRUE(out.closed);
  EXPECT_EQ(out.reason, "frame 1: longer than 1024 bytes");
  EXPECT_TRUE(out.samples.empty());
}

TEST(FrameReader, TakesFramesOfExactlyTheLimitBackToBack) {
  frame_reader r{1024};
  auto a = frame_of_size(1024, 'a');
  auto b = frame_of_size(1024, 'b');
  auto c = frame_of_size(20, 'c');
  auto out = feed(r, a + b + c);
  EXPECT_FALSE(out.closed) << out.reason;
  ASSERT_EQ(out.samples.size(), 3u);
  for (auto i : {0, 1}) {
    auto& name = out.samples[i].sensor;
    EXPECT_GT(name.size(), 1000u);
    EXPECT_EQ(name, std::string(name.size(), i == 0 ? 'a' : 'b'));
  }
  EXPECT_EQ(out.samples[2].sensor.front(), 'c');
  EXPECT_EQ(r.pending(), 0u);
}

TEST(FrameReader, TruncatedFrameStaysPending) {
  msgpack::sbuffer buf;
  packer pk{buf};
  pack_sample(pk, "a", 1, 1.0);
  pack_sample(pk, "b", 2, 2.0);
  auto bytes = str(buf);
  bytes.resize(bytes.size() - 3);
  frame_reader r;
  auto out = feed(r, bytes);
  EXPECT_FALSE(out.closed);
  EXPECT_EQ(out.samples.size(), 1u);
  EXPECT_GT(r.pending(), 0u);
}

TEST(FrameReader, RandomBytesNeverCrash) {
  std::mt19937_64 rng{7};
  for (int round = 0; round < 200; ++round) {
    std::string bytes(1 + rng() % 4096, '\0');
    for (auto& c : bytes)
      c = static_cast<char>(rng());
    frame_reader r{4096};
    auto out = feed(r, bytes, 1 + rng() % 512);
    // Whatever was decoded is well formed; the rest is malformed or pending.
    for (auto& s : out.samples)
      EXPECT_LE(s.sensor.size(), bytes.size());
    EXPECT_TRUE(out.closed || r.pending() > 0 || !out.samples.empty()
                || r.frames() > 0);
  }
}
