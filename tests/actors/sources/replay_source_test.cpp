// The replay source through checkpoint rounds, on CAF's deterministic test
// scheduler: a round's mark goes on the next chunk read after it was asked
// for (or alone once `mark_patience` passed without one), reading goes on
// after it (the sensors and nodes hold what follows a mark), and the
// position reported for a round is where its mark was sent.

#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "actors/sources/replay_source.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/io/byte_source.hpp"
#include "runtime/io/csv.hpp"
#include "tests/support/test_system.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr uint64_t key = 11;

/// What a sensor got, in order: "t1,t2" for a batch's timestamps (empty
/// for a watermark alone), "mark k" for a checkpoint mark.
using events = std::vector<std::string>;

caf::behavior recorder(caf::event_based_actor* self,
                       std::shared_ptr<events> log) {
  self->set_default_handler(caf::drop);
  return {
    [log](batch& b) {
      std::string s;
      for (auto& p : b.points)
        s += (s.empty() ? "" : ",") + std::to_string(p.ts);
      // A mark follows the batch's points; a mark alone is only the mark.
      if (!s.empty() || b.mark == 0)
        log->push_back(s);
      if (b.mark != 0) {
        EXPECT_EQ(b.from, key);
        log->push_back("mark " + std::to_string(b.mark));
      }
    },
  };
}

/// What the monitor got: the offset of each round's position.
struct monitor_log {
  std::vector<std::pair<uint64_t, uint64_t>> rounds;
  bool reported = false;
};

caf::behavior monitor(caf::event_based_actor* self,
                      std::shared_ptr<monitor_log> log) {
  self->set_default_handler(caf::drop);
  return {
    [log](ckpt_atom, uint64_t k, uint64_t offset, const std::string& pos) {
      replay_position p;
      EXPECT_TRUE(p.decode(pos));
      EXPECT_EQ(p.at.offset, offset);
      log->rounds.emplace_back(k, offset);
    },
    [log](report_atom, const std::string&, const ingest_counts&,
          const std::vector<uint64_t>&, const std::string&) {
      log->reported = true;
    },
  };
}

std::string rows(int from, int to) {
  std::string s;
  for (int t = from; t <= to; ++t)
    s += "s0," + std::to_string(t) + "," + std::to_string(t) + ".5\n";
  return s;
}

class ReplaySourceRounds : public ::testing::Test {
protected:
  ReplaySourceRounds() {
    feed = std::make_shared<chunk_feed>();
    feed->push("sensor,ts,value\n" + rows(1, 6));
    auto reader = sample_reader::open(feed, "input");
    EXPECT_TRUE(reader);
    auto sensor = ts.spawn(recorder, got);
    auto dir
      = std::make_shared<sensor_directory>(std::vector<std::string>{"s0"});
    replay_options opts;
    opts.chunk_rows = 4;
    opts.feed = feed;
    opts.live = &live;
    source = ts.spawn(replay_source, std::string{"input"},
                      std::make_shared<sample_reader>(std::move(*reader)), dir,
                      std::vector<caf::actor>{sensor}, key, opts,
                      ts.spawn(monitor, mon));
  }

  /// Every timestamp the sensor got, in order.
  std::string delivered() const {
    std::string s;
    for (auto& e : *got)
      if (!e.empty() && e.rfind("mark", 0) != 0)
        s += (s.empty() ? "" : ",") + e;
    return s;
  }

  test_system ts;
  metrics live;
  std::shared_ptr<chunk_feed> feed;
  std::shared_ptr<events> got = std::make_shared<events>();
  std::shared_ptr<monitor_log> mon = std::make_shared<monitor_log>();
  caf::actor source;
};

} // namespace

/// The size of the header and of rows `from` to `to`.
size_t offset_after(int from, int to) {
  return std::string{"sensor,ts,value\n"}.size() + rows(from, to).size();
}

TEST_F(ReplaySourceRounds, ADryInputIsMarkedAloneAfterThePatience) {
  caf::anon_send(source, start_atom_v);
  ts.run();
  // Rows 1 to 6 read; the input ran dry.
  EXPECT_EQ(delivered(), "1,2,3,4,5,6");
  caf::anon_send(source, ckpt_atom_v, uint64_t{1});
  ts.run();
  // The mark waits for a chunk to go on, for a while.
  EXPECT_EQ(got->back(), "5,6");
  EXPECT_TRUE(mon->rounds.empty());
  ts.advance(mark_patience);
  ASSERT_FALSE(got->empty());
  EXPECT_EQ(got->back(), "mark 1");
  ASSERT_EQ(mon->rounds.size(), 1u);
  // The round's position is where the mark went out: after row 6.
  EXPECT_EQ(mon->rounds[0].second, offset_after(1, 6));
  // The replay does not wait for the round: more input goes out at once.
  caf::anon_send(source, chunk_atom_v, rows(7, 10), true);
  ts.run();
  EXPECT_EQ(delivered(), "1,2,3,4,5,6,7,8,9,10");
  EXPECT_TRUE(mon->reported);
  EXPECT_EQ(mon->rounds.size(), 1u);
}

TEST_F(ReplaySourceRounds, AMarkGoesOnTheNextChunkRead) {
  caf::anon_send(source, start_atom_v);
  ts.run();
  caf::anon_send(source, ckpt_atom_v, uint64_t{1});
  ts.run();
  // A piece comes before the patience ran out: the mark goes on its
  // first chunk's batch, after its samples, the round's position is after
  // that chunk, and the next chunk follows.
  caf::anon_send(source, chunk_atom_v, rows(7, 12), true);
  ts.run();
  EXPECT_EQ(*got, (events{"1,2,3,4", "5,6", "7,8,9,10", "mark 1", "11,12"}));
  ASSERT_EQ(mon->rounds.size(), 1u);
  EXPECT_EQ(mon->rounds[0].second, offset_after(1, 10));
  EXPECT_TRUE(mon->reported);
  // The patience running out later changes nothing.
  ts.advance(mark_patience);
  EXPECT_EQ(mon->rounds.size(), 1u);
  EXPECT_EQ(got->size(), 5u);
}

TEST_F(ReplaySourceRounds, TheLastChunkCarriesAMarkBeforeTheEnd) {
  caf::anon_send(source, start_atom_v);
  ts.run();
  caf::anon_send(source, ckpt_atom_v, uint64_t{1});
  caf::anon_send(source, chunk_atom_v, rows(7, 8), true);
  ts.run();
  // The last chunk carries the mark; the end of the stream (its watermark
  // to the sensor, the report) follows it.
  EXPECT_EQ(*got, (events{"1,2,3,4", "5,6", "7,8", "mark 1", ""}));
  EXPECT_EQ(mon->rounds.at(0).second, offset_after(1, 8));
  EXPECT_TRUE(mon->reported);
}

TEST_F(ReplaySourceRounds, ALaterRoundWithNothingReadMarksFromTheSamePlace) {
  caf::anon_send(source, start_atom_v);
  ts.run();
  caf::anon_send(source, ckpt_atom_v, uint64_t{1});
  ts.run();
  ts.advance(mark_patience);
  // Round 1 never ends (its leader died); round 2 comes while nothing was
  // read since: it marks from the same place.
  caf::anon_send(source, ckpt_atom_v, uint64_t{2});
  ts.run();
  ts.advance(mark_patience);
  EXPECT_EQ(*got, (events{"1,2,3,4", "5,6", "mark 1", "mark 2"}));
  ASSERT_EQ(mon->rounds.size(), 2u);
  EXPECT_EQ(mon->rounds[1].second, mon->rounds[0].second);
  // A round asked for again, or an older one, is not marked twice.
  caf::anon_send(source, ckpt_atom_v, uint64_t{2});
  caf::anon_send(source, ckpt_atom_v, uint64_t{1});
  ts.run();
  ts.advance(mark_patience);
  EXPECT_EQ(mon->rounds.size(), 2u);
  caf::anon_send(source, chunk_atom_v, rows(7, 10), true);
  ts.run();
  EXPECT_EQ(delivered(), "1,2,3,4,5,6,7,8,9,10");
  EXPECT_TRUE(mon->reported);
}

TEST_F(ReplaySourceRounds, ARoundAskedForBeforeTheStartMarksTheFirstChunk) {
  feed->push(rows(7, 8));
  feed->close();
  caf::anon_send(source, ckpt_atom_v, uint64_t{1});
  caf::anon_send(source, start_atom_v);
  ts.run();
  // The whole input was there: the mark goes on the first chunk, and the
  // rest follows.
  EXPECT_EQ(*got, (events{"1,2,3,4", "mark 1", "5,6,7,8", ""}));
  ASSERT_EQ(mon->rounds.size(), 1u);
  EXPECT_EQ(mon->rounds[0].second, offset_after(1, 4));
  EXPECT_TRUE(mon->reported);
}
